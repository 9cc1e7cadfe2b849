namespace Evidence.Domain.Trials;

/// <summary>A trial was recorded with its citation, attributes and its data per outcome (metafor's column names).</summary>
public sealed record TrialRecorded(
    string TrialId, string ReviewId, int Year, string Source, string? RegistryId,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Data,
    Provenance Provenance) : ITrialEvent;

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
