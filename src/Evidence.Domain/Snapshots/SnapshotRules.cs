using Evidence.Domain.Judgement;

namespace Evidence.Domain.Snapshots;

/// <summary>An event of a review's log as the snapshot rules read it.</summary>
public sealed record LoggedEvent(Guid Id, long Sequence, DateTimeOffset Timestamp, object Data);

/// <summary>
/// An outcome whose inputs an event (or a batch, at its last event) changed: its inputs and their
/// hash after it, whether the event's trial (if it is about one) was in the outcome's analysis before
/// it, the cause the version names, and for a batch the trials it recorded.
/// </summary>
public sealed record ChangedOutcome(OutcomeInputs Inputs, string Hash, bool TrialWasIncluded, SnapshotCause Cause,
    IReadOnlyCollection<string>? BatchTrials = null);

/// <summary>
/// A batch of trials being applied: its id and first sequence, and each outcome its events touched so
/// far with the hash of its inputs before the batch (in the order they were first touched).
/// </summary>
public sealed class OpenBatch(Guid id, long firstSequence, bool tracked)
{
    public Guid Id { get; } = id;

    public long FirstSequence { get; } = firstSequence;

    /// <summary>Whether the batch's changes are tracked (false when its events are only being folded, already accounted for).</summary>
    public bool Tracked { get; } = tracked;

    internal readonly List<(string Outcome, string Hash)> Before = [];

    internal readonly List<string> Trials = [];
}

/// <summary>
/// Which snapshots the review's log produces, shared by the worker (which writes them) and the
/// rebuild (which recomputes and compares them): an event yields a new version of every outcome
/// whose inputs it changes, and of no other (a batch of trials counts as one event, at its last);
/// an outcome gets its first version with its first data.
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
    /// <para>
    /// The events of a batch (<see cref="Trials.TrialRecorded.Batch"/>) yield nothing until its last
    /// one (the one that completes its count), which yields one version of each outcome whose inputs the whole batch changed, compared
    /// with the inputs before the batch, its cause naming the batch (<see cref="Cause(LoggedEvent, OpenBatch)"/>).
    /// An event of another command that falls among a batch's events in the log (a concurrent
    /// transaction that drew its sequence in between) is applied as part of the batch.
    /// </para>
    /// </summary>
    public static List<ChangedOutcome> Apply(ReviewLog log, LoggedEvent e, Func<string, bool> hasSnapshot, bool track = true)
    {
        var mark = (e.Data as Trials.TrialRecorded)?.Batch;
        if (mark is not null && log.Batch is null)
            log.Batch = new OpenBatch(mark.Id, e.Sequence, track);
        if (log.Batch is { } batch)
            return ApplyInBatch(log, batch, e, mark, hasSnapshot);

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
            if (Changed(log, outcome, previous, hasSnapshot) is { } now)
                changed.Add(new ChangedOutcome(now.Inputs, now.Hash, wasIncluded, Cause(e)));
        }
        return changed;
    }

    private static List<ChangedOutcome> ApplyInBatch(ReviewLog log, OpenBatch batch, LoggedEvent e, Trials.TrialBatch? mark, Func<string, bool> hasSnapshot)
    {
        if (batch.Tracked && log.Review is not null)
        {
            foreach (var outcome in log.Candidates(e.Data).Where(o => log.Review.Outcomes.ContainsKey(o)))
            {
                if (!batch.Before.Exists(b => b.Outcome == outcome))
                    batch.Before.Add((outcome, log.Hash(outcome)));
            }
        }
        log.Apply(e.Data, e.Sequence);
        if (mark is not null && mark.Id == batch.Id)
            batch.Trials.Add(((ITrialEvent)e.Data).TrialId);
        // Complete once all its events are applied, whatever order the store gave them sequences in.
        if (mark is null || mark.Id != batch.Id || batch.Trials.Count < mark.Count)
            return [];

        log.Batch = null;
        var cause = Cause(e, batch);
        var changed = new List<ChangedOutcome>();
        foreach (var (outcome, previous) in batch.Before)
        {
            if (Changed(log, outcome, previous, hasSnapshot) is { } now)
                changed.Add(new ChangedOutcome(now.Inputs, now.Hash, false, cause, batch.Trials));
        }
        return changed;
    }

    /// <summary>The outcome's inputs and hash now, when they differ from <paramref name="previous"/> and make a version (null otherwise).</summary>
    private static (OutcomeInputs Inputs, string Hash)? Changed(ReviewLog log, string outcome, string previous, Func<string, bool> hasSnapshot)
    {
        if (!log.Review!.Outcomes.ContainsKey(outcome))
            return null;
        var inputs = log.Inputs(outcome);
        var hash = log.Hash(outcome);
        return hash != previous && (hasSnapshot(outcome) || inputs.Included.Count > 0 || inputs.LeftOut.Count > 0) ? (inputs, hash) : null;
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
    /// The cause a batch's versions name: its last event <paramref name="last"/> (type
    /// <see cref="SnapshotCause.TrialsRecorded"/>, no single trial), with the batch's id, size and first sequence.
    /// </summary>
    public static SnapshotCause Cause(LoggedEvent last, OpenBatch batch) =>
        Cause(last) with
        {
            Type = SnapshotCause.TrialsRecorded,
            TrialId = null,
            Batch = new SnapshotBatch(batch.Id, batch.Trials.Count, batch.FirstSequence),
        };

    /// <summary>
    /// The snapshot of a version: the analysis, the thresholds it is judged against, its absolute
    /// effect, and the signals against <paramref name="previous"/> (the version before; null for the
    /// first). A batch's version (<paramref name="batchTrials"/>, the trials it recorded) is judged
    /// against the version before the batch; its trial rules read the batch's trial of the largest
    /// weight in the new analysis as the cause's trial (a new trial, so <c>newTrialWeight</c> fires
    /// when the heaviest new trial carries at least the rule's share, and <c>trialStatus</c> never does).
    /// <paramref name="ledger"/> is the outcome's ledger of looks as of this version
    /// (<see cref="Sequential.SequentialRules.Next"/>); with sequential parameters the version carries
    /// its sequential section (<see cref="Sequential.SequentialRules.Section"/>).
    /// </summary>
    public static Snapshot Build(OutcomeInputs inputs, string hash, SnapshotCause cause, long version, AnalyzedOutcome analyzed, string engineVersion,
        SignalBasis? previous = null, bool trialWasIncluded = false, IReadOnlyCollection<string>? batchTrials = null, Sequential.SequentialLedger? ledger = null)
    {
        var sequential = inputs.Sequential is null ? null : Sequential.SequentialRules.Section(inputs, ledger ?? Sequential.SequentialRules.Next(null, inputs, version));
        var measure = Statistics.MeasureCatalogue.ParseMeasure(inputs.Settings.Measure);
        var thresholds = (inputs.Thresholds ?? DecisionThresholds.None).Resolve(measure);
        var trialId = batchTrials is null ? cause.TrialId : Heaviest(batchTrials, analyzed.Weights);
        var isIncluded = trialId is { } trial && inputs.Included.Any(s => s.TrialId == trial);
        var facts = new CauseFacts(cause.Type, trialId, trialWasIncluded, isIncluded,
            trialId is { } t && analyzed.Weights.TryGetValue(t, out var w) ? w : null);
        var basis = new SignalBasis(analyzed.Summary, thresholds, sequential is null ? null : Sequential.SequentialBasis.Of(sequential));
        var signals = SignalEvaluator.Evaluate(previous, basis, inputs.Rules ?? SignalRules.Default, facts);
        return new(Snapshot.DocumentId(inputs.ReviewId, inputs.OutcomeId, version), inputs.ReviewId, inputs.OutcomeId, version, cause,
            inputs.DataType, inputs.Settings, analyzed.Included, inputs.LeftOut, analyzed.Summary, analyzed.Result, engineVersion, hash,
            analyzed.StudiesOnRead, thresholds, signals, AbsoluteEffects.Of(measure, analyzed.Summary, thresholds, inputs.Included), sequential);
    }

    /// <summary>The trial of <paramref name="trials"/> with the largest weight (the first in id order among equals); null when none has a weight.</summary>
    private static string? Heaviest(IReadOnlyCollection<string> trials, IReadOnlyDictionary<string, double> weights) =>
        trials.Where(weights.ContainsKey).OrderByDescending(t => weights[t]).ThenBy(t => t, StringComparer.Ordinal).FirstOrDefault();
}
