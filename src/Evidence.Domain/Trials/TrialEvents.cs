namespace Evidence.Domain.Trials;

/// <summary>
/// A trial was recorded with its citation, attributes and its data per outcome (metafor's column
/// names). <c>Batch</c> marks a trial recorded among others in one command (null for one recorded alone).
/// </summary>
public sealed record TrialRecorded(
    string TrialId, string ReviewId, int Year, string Source, string? RegistryId,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Data,
    Provenance Provenance, TrialBatch? Batch = null) : ITrialEvent;

/// <summary>
/// The place of a trial in a batch recorded in one transaction: the batch's id, the trial's index
/// (0-based, in the order of the request) and the number of trials in the batch. The events of a
/// batch are committed together; the snapshots see the batch as one change, complete at the event
/// that completes its count.
/// </summary>
public sealed record TrialBatch(Guid Id, int Index, int Count);

/// <summary>One changed number: <c>Old</c> is null when the column was added, <c>New</c> when it was removed.</summary>
public sealed record DataChange(string Outcome, string Column, double? Old, double? New);

/// <summary>One changed attribute: <c>Old</c> is null when it was added, <c>New</c> when it was removed.</summary>
public sealed record AttributeChange(string Name, string? Old, string? New);

/// <summary>A trial's extracted data or attributes were corrected, field by field; the reason is required.</summary>
public sealed record TrialCorrected(
    string TrialId, string ReviewId,
    IReadOnlyList<DataChange> Data, IReadOnlyList<AttributeChange> Attributes,
    Provenance Provenance) : ITrialEvent;

/// <summary>A trial was excluded from every analysis of the review (reason in the provenance).</summary>
public sealed record TrialExcluded(string TrialId, string ReviewId, Provenance Provenance) : ITrialEvent;

/// <summary>An excluded trial was taken back into the analyses (reason in the provenance).</summary>
public sealed record TrialReinstated(string TrialId, string ReviewId, Provenance Provenance) : ITrialEvent;

/// <summary>A trial was retracted by its publisher; it leaves every analysis for good.</summary>
public sealed record TrialRetracted(string TrialId, string ReviewId, string? Notice, Provenance Provenance) : ITrialEvent;
