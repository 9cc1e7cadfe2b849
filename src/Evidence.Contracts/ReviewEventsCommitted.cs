namespace Evidence.Contracts;

/// <summary>
/// Sent to the snapshot worker when events of a review are committed. It carries no event data: it
/// says "the review's log is complete up to <paramref name="Sequence"/>", so duplicates, redeliveries
/// and reordering are harmless — the worker reads the log itself.
/// </summary>
public sealed record ReviewEventsCommitted(string ReviewId, long Sequence);
