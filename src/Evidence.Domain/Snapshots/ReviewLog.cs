using Evidence.Domain.Reviews;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Snapshots;

/// <summary>
/// A review and its trials folded from the review's events in commit order, with the same folds
/// Marten uses for the inline state (<see cref="Review.Evolve"/>, <see cref="Trial.Evolve"/>), so the
/// worker and the API agree.
/// Each outcome's inputs are kept up to date as events arrive (a trial event moves only that
/// trial's entries), so reading an outcome's inputs and their hash after each event costs a copy
/// of k entries rather than a sort and a serialisation of all k trials.
/// </summary>
public sealed class ReviewLog
{
    private readonly Dictionary<string, Trial> trials = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OutcomeStudies> outcomes = new(StringComparer.Ordinal);

    public Review? Review { get; private set; }

    public IReadOnlyDictionary<string, Trial> Trials => trials;

    /// <summary>
    /// The batch of trials whose events are applied but whose last event is not yet (null between
    /// batches): kept with the log, so a batch read across pages of the log still yields its versions once.
    /// </summary>
    public OpenBatch? Batch { get; internal set; }

    /// <summary>The point of the store's event log up to which this review's events are applied.</summary>
    public long Sequence { get; private set; }

    /// <summary>Marks the log as complete up to <paramref name="sequence"/> when no event of the review came after the last one applied.</summary>
    public void AdvanceTo(long sequence) => Sequence = Math.Max(Sequence, sequence);

    public void Apply(object e, long sequence)
    {
        Sequence = sequence;
        switch (e)
        {
            case ITrialEvent x:
                Replace(x.TrialId, Trial.Evolve(trials.GetValueOrDefault(x.TrialId), x));
                break;
            case IReviewEvent x:
                Review = Review.Evolve(Review, x);
                if (x is IOutcomeEvent o)
                    Reindex(o.OutcomeId);
                break;
        }
    }

    /// <summary>
    /// The outcomes whose inputs an event may change: the outcome whose settings it defines or changes
    /// (among those already defined, the caller keeps only those), or those the trial has data for
    /// before or after the event. Others are not even hashed.
    /// </summary>
    public IReadOnlyList<string> Candidates(object e) => e switch
    {
        IOutcomeEvent x => [x.OutcomeId],
        ITrialEvent x => DataBeforeOrAfter(x),
        _ => [],
    };

    /// <summary>
    /// The inputs of one outcome now: included trials in the outcome's cumulative order (then by
    /// year and id, so ties are broken the same way every time), and the trials left out.
    /// </summary>
    public OutcomeInputs Inputs(string outcomeId)
    {
        var studies = Studies(outcomeId);
        if (studies.Inputs is { } cached)
            return cached;
        var outcome = Review!.Outcomes[outcomeId];
        return studies.Inputs = new OutcomeInputs(Review.Id, outcomeId, outcome.DataType, outcome.Analysis, [.. studies.Included], [.. studies.LeftOut.Values],
            outcome.Thresholds, outcome.Rules, outcome.Sequential);
    }

    /// <summary>The hash of <see cref="Inputs"/>, equal to <see cref="OutcomeInputs.Hash()"/>, from the digests kept per trial.</summary>
    public string Hash(string outcomeId)
    {
        var studies = Studies(outcomeId);
        return studies.Hash ??= Inputs(outcomeId).Hash(s => studies.Digests.TryGetValue(s.TrialId, out var d) ? d : studies.Digests[s.TrialId] = OutcomeInputs.Digest(s));
    }

    /// <summary>Whether the trial is in the outcome's analysis now.</summary>
    public bool Includes(string outcomeId, string trialId) =>
        outcomes.TryGetValue(outcomeId, out var studies) && studies.IncludedById.ContainsKey(trialId);

    private OutcomeStudies Studies(string outcomeId) =>
        outcomes.TryGetValue(outcomeId, out var studies) ? studies : throw new KeyNotFoundException($"The review has no outcome '{outcomeId}'.");

    /// <summary>A trial changed: its entries move in every outcome it had or has data for.</summary>
    private void Replace(string trialId, Trial next)
    {
        trials.TryGetValue(trialId, out var previous);
        trials[trialId] = next;
        var touched = previous is null ? next.Data.Keys : previous.Data.Keys.Union(next.Data.Keys);
        foreach (var outcomeId in touched)
        {
            if (!outcomes.TryGetValue(outcomeId, out var studies) || !Review!.Outcomes.TryGetValue(outcomeId, out var outcome))
                continue;
            studies.Remove(trialId);
            if (next.Data.ContainsKey(outcomeId))
                studies.Add(next, outcomeId, outcome.Analysis);
        }
    }

    /// <summary>An outcome was defined or its settings changed: its entries are rebuilt from every trial.</summary>
    private void Reindex(string outcomeId)
    {
        var studies = outcomes[outcomeId] = new OutcomeStudies();
        var settings = Review!.Outcomes[outcomeId].Analysis;
        foreach (var trial in trials.Values.Where(t => t.Data.ContainsKey(outcomeId)))
            studies.Add(trial, outcomeId, settings);
    }

    private string[] DataBeforeOrAfter(ITrialEvent e)
    {
        var before = trials.GetValueOrDefault(e.TrialId);
        var after = Trial.Evolve(before, e);
        return before is null ? [.. after.Data.Keys] : [.. before.Data.Keys.Union(after.Data.Keys)];
    }

    /// <summary>One outcome's included trials in order, its left-out trials by id, and what was derived from them.</summary>
    private sealed class OutcomeStudies
    {
        public readonly SortedSet<StudyInput> Included = new(StudyOrder.Instance);
        public readonly Dictionary<string, StudyInput> IncludedById = new(StringComparer.Ordinal);
        public readonly SortedDictionary<string, LeftOutStudy> LeftOut = new(StringComparer.Ordinal);
        public readonly Dictionary<string, byte[]> Digests = new(StringComparer.Ordinal);
        public OutcomeInputs? Inputs;
        public string? Hash;

        public void Add(Trial t, string outcomeId, Outcomes.AnalysisPlan settings)
        {
            if (t.Status == TrialStatus.Included)
            {
                var study = new StudyInput(t.TrialId, t.Version, t.Year, t.Data[outcomeId],
                    settings.Subgroup is null ? null : t.Attributes.GetValueOrDefault(settings.Subgroup),
                    OrderKey(t, settings.Order));
                Included.Add(study);
                IncludedById[t.TrialId] = study;
            }
            else
                LeftOut[t.TrialId] = new LeftOutStudy(t.TrialId, t.Version, t.Status.ToString().ToLowerInvariant(), t.StatusReason, t.RetractionNotice);
            Changed();
        }

        public void Remove(string trialId)
        {
            if (IncludedById.Remove(trialId, out var study))
                Included.Remove(study);
            LeftOut.Remove(trialId);
            Digests.Remove(trialId);
            Changed();
        }

        private void Changed()
        {
            Inputs = null;
            Hash = null;
        }

        private static string? OrderKey(Trial t, string order) =>
            order == "year" ? t.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) : t.Attributes.GetValueOrDefault(order);
    }
}
