using Evidence.Domain.Judgement;

namespace Evidence.Domain.Snapshots;

/// <summary>An event of a review's log as the snapshot rules read it.</summary>
public sealed record LoggedEvent(Guid Id, long Sequence, DateTimeOffset Timestamp, object Data);

/// <summary>
/// An outcome whose inputs an event changed: its inputs and their hash after the event, and whether
/// the event's trial (if it is about one) was in the outcome's analysis before it.
/// </summary>
public sealed record ChangedOutcome(OutcomeInputs Inputs, string Hash, bool TrialWasIncluded);

/// <summary>
/// Which snapshots the review's log produces, shared by the worker (which writes them) and the
/// rebuild (which recomputes and compares them): an event yields a new version of every outcome
/// whose inputs it changes, and of no other; an outcome gets its first version with its first data.
/// </summary>
public static class SnapshotRules
{
    /// <summary>
    /// Above this many included trials a version stores its headline and heterogeneity but not its
    /// per-study sections, which are computed when the version is read (<see cref="AnalysisDepth.Stored"/>).
    /// Most meta-analyses pool fewer than 50 trials per outcome, so their versions are stored whole;
    /// above it each version costs time and space linear in k (one fit, subgroups, Egger's test),
    /// not quadratic, so a review of 10,000 trials and a rebuild of years of history stay feasible.
    /// </summary>
    public const int StoredStudyLimit = 50;

    /// <summary>
    /// Applies <paramref name="e"/> to <paramref name="log"/> and returns the inputs of every outcome
    /// it changed. With <paramref name="track"/> false the event is only applied (it is already
    /// accounted for), which skips the hashing.
    /// </summary>
    public static List<ChangedOutcome> Apply(ReviewLog log, LoggedEvent e, Func<string, bool> hasSnapshot, bool track = true)
    {
        var before = new List<(string Outcome, string Hash, bool TrialWasIncluded)>();
        var trial = (e.Data as ITrialEvent)?.TrialId;
        if (track && log.Review is not null)
        {
            foreach (var outcome in log.Candidates(e.Data).Where(o => log.Review.Outcomes.ContainsKey(o)))
                before.Add((outcome, log.Hash(outcome), trial is not null && log.Includes(outcome, trial)));
        }
        log.Apply(e.Data, e.Sequence);
        var changed = new List<ChangedOutcome>();
        foreach (var (outcome, previous, wasIncluded) in before)
        {
            var inputs = log.Inputs(outcome);
            var hash = log.Hash(outcome);
            if (hash != previous && (hasSnapshot(outcome) || inputs.Included.Count > 0 || inputs.LeftOut.Count > 0))
                changed.Add(new ChangedOutcome(inputs, hash, wasIncluded));
        }
        return changed;
    }

    /// <summary>The cause a snapshot names: the event, its place in the log, its trial, and who, when and why.</summary>
    public static SnapshotCause Cause(LoggedEvent e)
    {
        var provenance = (e.Data as IReviewEvent)?.Provenance;
        var trialId = (e.Data as ITrialEvent)?.TrialId;
        return new SnapshotCause(e.Id, e.Data.GetType().Name, e.Sequence, trialId,
            provenance?.By ?? "unknown", provenance?.At ?? e.Timestamp, provenance?.Reason);
    }

    /// <summary>
    /// The snapshot of a version: the analysis, the thresholds it is judged against, its absolute
    /// effect, and the signals against <paramref name="previous"/> (the version before; null for the first).
    /// </summary>
    public static Snapshot Build(OutcomeInputs inputs, string hash, SnapshotCause cause, long version, AnalyzedOutcome analyzed, string engineVersion,
        SignalBasis? previous = null, bool trialWasIncluded = false)
    {
        var measure = Statistics.MeasureCatalogue.ParseMeasure(inputs.Settings.Measure);
        var thresholds = (inputs.Thresholds ?? DecisionThresholds.None).Resolve(measure);
        var isIncluded = cause.TrialId is { } trial && inputs.Included.Any(s => s.TrialId == trial);
        var facts = new CauseFacts(cause.Type, cause.TrialId, trialWasIncluded, isIncluded,
            cause.TrialId is { } t && analyzed.Weights.TryGetValue(t, out var w) ? w : null);
        var signals = SignalEvaluator.Evaluate(previous, new SignalBasis(analyzed.Summary, thresholds), inputs.Rules ?? SignalRules.Default, facts);
        return new(Snapshot.DocumentId(inputs.ReviewId, inputs.OutcomeId, version), inputs.ReviewId, inputs.OutcomeId, version, cause,
            inputs.DataType, inputs.Settings, analyzed.Included, inputs.LeftOut, analyzed.Summary, analyzed.Result, engineVersion, hash,
            analyzed.StudiesOnRead, thresholds, signals, AbsoluteEffects.Of(measure, analyzed.Summary, thresholds, inputs.Included));
    }
}
