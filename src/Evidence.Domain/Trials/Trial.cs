using JasperFx.Core;

namespace Evidence.Domain.Trials;

/// <summary>Whether a trial counts in the analyses.</summary>
public enum TrialStatus
{
    Included,
    Excluded,
    Retracted,
}

/// <summary>
/// A trial as it stands after its events. Its id is its stream key (<see cref="StreamKeys.Trial"/>), so the
/// trials of a review never share a stream and edits to different trials never conflict.
/// </summary>
public sealed record Trial(
    string Id, string TrialId, string ReviewId, int Year, string Source, string? RegistryId,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Data,
    TrialStatus Status, string? StatusReason, string? RetractionNotice,
    long Version, DateTimeOffset RecordedAt, DateTimeOffset UpdatedAt)
{
    // Marten folds this state through TrialProjection, which calls Evolve. [JasperFxIgnore] keeps Marten's
    // conventions from also taking Evolve, Create and Apply as methods of their own.
    /// <summary>
    /// The trial after one more event of its stream: the one fold of a trial, used by its Marten state
    /// (<see cref="TrialProjection"/>), the review's log and the trial's history.
    /// </summary>
    [JasperFxIgnore]
    public static Trial Evolve(Trial? current, ITrialEvent e) => e switch
    {
        TrialRecorded x => Create(x),
        TrialCorrected x => current!.Apply(x),
        TrialExcluded x => current!.Apply(x),
        TrialReinstated x => current!.Apply(x),
        TrialRetracted x => current!.Apply(x),
        _ => throw new UnknownEventException(e, nameof(Trial)),
    };

    [JasperFxIgnore]
    public static Trial Create(TrialRecorded e) =>
        new(StreamKeys.Trial(e.ReviewId, e.TrialId), e.TrialId, e.ReviewId, e.Year, e.Source, e.RegistryId,
            e.Attributes, e.Data, TrialStatus.Included, null, null, 1, e.Provenance.At, e.Provenance.At);

    [JasperFxIgnore]
    public Trial Apply(TrialCorrected e) =>
        Next(e.Provenance) with { Data = Corrections.ApplyData(Data, e.Data), Attributes = Corrections.ApplyAttributes(Attributes, e.Attributes) };

    [JasperFxIgnore]
    public Trial Apply(TrialExcluded e) =>
        Next(e.Provenance) with { Status = TrialStatus.Excluded, StatusReason = e.Provenance.Reason };

    [JasperFxIgnore]
    public Trial Apply(TrialReinstated e) =>
        Next(e.Provenance) with { Status = TrialStatus.Included, StatusReason = null };

    [JasperFxIgnore]
    public Trial Apply(TrialRetracted e) =>
        Next(e.Provenance) with { Status = TrialStatus.Retracted, StatusReason = e.Provenance.Reason, RetractionNotice = e.Notice };

    private Trial Next(Provenance p) => this with { Version = Version + 1, UpdatedAt = p.At };
}
