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

public sealed record CorrectTrialRequest(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>?>? Data,
    IReadOnlyDictionary<string, string?>? Attributes,
    string Reason, string? Source);

public sealed record StatusChangeRequest(string Reason);

public sealed record RetractionRequest(string Reason, string? Notice);
