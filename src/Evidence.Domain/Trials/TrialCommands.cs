namespace Evidence.Domain.Trials;

public sealed record RecordTrial(
    string? Id, int? Year, string? Source, string? RegistryId,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Data);

/// <summary>Trials recorded together, all or none (at most <see cref="TrialDecider.MaxBatch"/>), with an optional reason for them all.</summary>
public sealed record RecordTrials(IReadOnlyList<RecordTrial> Trials, string? Reason);

/// <summary>
/// A merge patch: each outcome's columns replace the current ones (an outcome given as null loses its
/// data), and each attribute given replaces the current value (null removes it).
/// </summary>
public sealed record CorrectTrial(
    long ExpectedVersion,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>?> Data,
    IReadOnlyDictionary<string, string?> Attributes,
    string? Reason, string? Source);

public sealed record ExcludeTrial(long ExpectedVersion, string? Reason);

public sealed record ReinstateTrial(long ExpectedVersion, string? Reason);

public sealed record RetractTrial(long ExpectedVersion, string? Reason, string? Notice);
