namespace Evidence.Domain.Trials;

/// <summary>Whether a trial counts in the analyses.</summary>
public enum TrialStatus
{
    Included,
    Excluded,
    Retracted,
}

/// <summary>
/// A trial as it stands after its events. Its id is the stream key <c>{review}/{trial}</c>, so the
/// trials of a review never share a stream and edits to different trials never conflict.
/// </summary>
public sealed record Trial(
    string Id, string TrialId, string ReviewId, int Year, string Source, string? RegistryId,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Data,
    TrialStatus Status, string? StatusReason, string? RetractionNotice,
    long Version, DateTimeOffset RecordedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The stream key of a trial: slugs never contain '/', so the key is unambiguous.</summary>
    public static string StreamKey(string reviewId, string trialId) => $"{reviewId}/{trialId}";

    public static Trial Create(TrialRecorded e) =>
        new(StreamKey(e.ReviewId, e.TrialId), e.TrialId, e.ReviewId, e.Year, e.Source, e.RegistryId,
            e.Attributes, e.Data, TrialStatus.Included, null, null, 1, e.Provenance.At, e.Provenance.At);

    public Trial Apply(TrialCorrected e) =>
        Next(e.Provenance) with { Data = Corrections.ApplyData(Data, e.Data), Attributes = Corrections.ApplyAttributes(Attributes, e.Attributes) };

    public Trial Apply(TrialExcluded e) =>
        Next(e.Provenance) with { Status = TrialStatus.Excluded, StatusReason = e.Provenance.Reason };

    public Trial Apply(TrialReinstated e) =>
        Next(e.Provenance) with { Status = TrialStatus.Included, StatusReason = null };

    public Trial Apply(TrialRetracted e) =>
        Next(e.Provenance) with { Status = TrialStatus.Retracted, StatusReason = e.Provenance.Reason, RetractionNotice = e.Notice };

    private Trial Next(Provenance p) => this with { Version = Version + 1, UpdatedAt = p.At };
}
