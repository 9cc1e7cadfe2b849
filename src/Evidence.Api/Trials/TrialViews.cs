using Evidence.Domain.Trials;

namespace Evidence.Api.Trials;

public sealed record TrialView(
    string Id, string ReviewId, int Year, string Source, string? RegistryId,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Data,
    TrialStatus Status, string? StatusReason, string? RetractionNotice,
    long Version, DateTimeOffset RecordedAt, DateTimeOffset UpdatedAt)
{
    public static TrialView From(Trial t) =>
        new(t.TrialId, t.ReviewId, t.Year, t.Source, t.RegistryId, t.Attributes, t.Data, t.Status, t.StatusReason,
            t.RetractionNotice, t.Version, t.RecordedAt, t.UpdatedAt);
}

public sealed record RecordTrialRequest(
    string Id, int Year, string Source, string? RegistryId,
    IReadOnlyDictionary<string, string>? Attributes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? Data);

/// <summary>Up to 1,000 trials, each as <see cref="RecordTrialRequest"/>, recorded all or none; the reason applies to them all.</summary>
public sealed record RecordTrialsRequest(IReadOnlyList<RecordTrialRequest> Trials, string? Reason);

/// <summary>A recorded batch: its id (which the versions it yields name as their cause), the number of trials and their ids in request order.</summary>
public sealed record TrialBatchView(Guid Batch, int Count, IReadOnlyList<string> Trials);

public sealed record CorrectTrialRequest(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>?>? Data,
    IReadOnlyDictionary<string, string?>? Attributes,
    string Reason, string? Source);

public sealed record StatusChangeRequest(string Reason);

public sealed record RetractionRequest(string Reason, string? Notice);
