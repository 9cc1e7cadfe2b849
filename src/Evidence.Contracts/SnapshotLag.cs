namespace Evidence.Contracts;

/// <summary>
/// Published by every snapshot worker four times a second: how far behind the event log its snapshots
/// were during the last quarter second, as the age of the oldest event it was still working towards or
/// whose version it had just committed (0 when it had nothing to do). The API slows commands down
/// while the largest recent report is high, so the snapshots stay within seconds of the log. Only
/// workers publish it: the API's broker user may not, and the API takes a report only when its AMQP
/// user-id (which the broker checks) names a broker user other than the API's own.
/// </summary>
public sealed record SnapshotLag(string Worker, double Seconds, DateTimeOffset At);
