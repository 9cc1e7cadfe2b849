using Evidence.Domain.Reviews;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Snapshots;

/// <summary>
/// A review and its trials folded from the review's events in commit order, with the same
/// Create/Apply functions Marten uses for the inline state, so the worker and the API agree.
/// </summary>
public sealed class ReviewLog
{
    private readonly Dictionary<string, Trial> trials = new(StringComparer.Ordinal);

    public Review? Review { get; private set; }

    public IReadOnlyDictionary<string, Trial> Trials => trials;

    /// <summary>The point of the store's event log up to which this review's events are applied.</summary>
    public long Sequence { get; private set; }

    /// <summary>Marks the log as complete up to <paramref name="sequence"/> when no event of the review came after the last one applied.</summary>
    public void AdvanceTo(long sequence) => Sequence = Math.Max(Sequence, sequence);

    public void Apply(object e, long sequence)
    {
        Sequence = sequence;
        switch (e)
        {
            case ReviewCreated x: Review = Review.Create(x); break;
            case OutcomeDefined x: Review = Review!.Apply(x); break;
            case OutcomeAnalysisChanged x: Review = Review!.Apply(x); break;
            case Access.MemberAdded x: Review = Review!.Apply(x); break;
            case Access.MemberRemoved x: Review = Review!.Apply(x); break;
            case Access.ReviewVisibilityChanged x: Review = Review!.Apply(x); break;
            case TrialRecorded x: trials[x.TrialId] = Trial.Create(x); break;
            case TrialCorrected x: trials[x.TrialId] = trials[x.TrialId].Apply(x); break;
            case TrialExcluded x: trials[x.TrialId] = trials[x.TrialId].Apply(x); break;
            case TrialReinstated x: trials[x.TrialId] = trials[x.TrialId].Apply(x); break;
            case TrialRetracted x: trials[x.TrialId] = trials[x.TrialId].Apply(x); break;
        }
    }

    /// <summary>
    /// The outcomes whose inputs an event may change: those of a changed analysis, or those the trial
    /// has data for before or after the event. Others are not even hashed.
    /// </summary>
    public IReadOnlyList<string> Candidates(object e) => e switch
    {
        OutcomeAnalysisChanged x => [x.OutcomeId],
        TrialRecorded x => [.. x.Data.Keys],
        TrialCorrected x => trials.TryGetValue(x.TrialId, out var t) ? [.. t.Data.Keys.Union(x.Data.Select(d => d.Outcome))] : [.. x.Data.Select(d => d.Outcome).Distinct()],
        TrialExcluded x => DataOf(x.TrialId),
        TrialReinstated x => DataOf(x.TrialId),
        TrialRetracted x => DataOf(x.TrialId),
        _ => [],
    };

    /// <summary>
    /// The inputs of one outcome now: included trials in the outcome's cumulative order (then by
    /// year and id, so ties are broken the same way every time), and the trials left out.
    /// </summary>
    public OutcomeInputs Inputs(string outcomeId)
    {
        var outcome = Review!.Outcomes[outcomeId];
        var settings = outcome.Analysis;
        var withData = trials.Values.Where(t => t.Data.ContainsKey(outcomeId)).ToList();
        var included = withData
            .Where(t => t.Status == TrialStatus.Included)
            .Select(t => new StudyInput(t.TrialId, t.Version, t.Year, t.Data[outcomeId],
                settings.Subgroup is null ? null : t.Attributes.GetValueOrDefault(settings.Subgroup),
                OrderKey(t, settings.Order)))
            .OrderBy(s => s, StudyOrder.Instance)
            .ToList();
        var leftOut = withData
            .Where(t => t.Status != TrialStatus.Included)
            .OrderBy(t => t.TrialId, StringComparer.Ordinal)
            .Select(t => new LeftOutStudy(t.TrialId, t.Version, t.Status.ToString().ToLowerInvariant(), t.StatusReason, t.RetractionNotice))
            .ToList();
        return new OutcomeInputs(Review.Id, outcomeId, outcome.DataType, settings, included, leftOut);
    }

    private static string? OrderKey(Trial t, string order) =>
        order == "year" ? t.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) : t.Attributes.GetValueOrDefault(order);

    private string[] DataOf(string trialId) => trials.TryGetValue(trialId, out var t) ? [.. t.Data.Keys] : [];
}
