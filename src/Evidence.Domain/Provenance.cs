namespace Evidence.Domain;

/// <summary>
/// Who made a change, when, why, and which request carried it. Every event holds one, so the audit
/// trail needs no side table and a snapshot stays a pure function of the events.
/// </summary>
/// <param name="By">The authenticated user (or the stand-in user until authentication exists).</param>
/// <param name="At">When the command was accepted.</param>
/// <param name="CorrelationId">Ties the events of one request together (the request's correlation id).</param>
/// <param name="Reason">Why the change was made; required for corrections and status changes.</param>
/// <param name="Source">Where the new information comes from (a citation or a document), if given.</param>
public sealed record Provenance(string By, DateTimeOffset At, string CorrelationId, string? Reason = null, string? Source = null);
