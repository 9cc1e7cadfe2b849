namespace Evidence.Domain.Snapshots;

/// <summary>An event of a review's log as the snapshot rules read it.</summary>
public sealed record LoggedEvent(Guid Id, long Sequence, DateTimeOffset Timestamp, object Data);

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
    public static List<(OutcomeInputs Inputs, string Hash)> Apply(ReviewLog log, LoggedEvent e, Func<string, bool> hasSnapshot, bool track = true)
    {
        var before = new List<(string Outcome, string Hash)>();
        if (track && log.Review is not null)
        {
            foreach (var outcome in log.Candidates(e.Data).Where(o => log.Review.Outcomes.ContainsKey(o)))
                before.Add((outcome, log.Hash(outcome)));
        }
        log.Apply(e.Data, e.Sequence);
        var changed = new List<(OutcomeInputs, string)>();
        foreach (var (outcome, previous) in before)
        {
            var inputs = log.Inputs(outcome);
            var hash = log.Hash(outcome);
            if (hash != previous && (hasSnapshot(outcome) || inputs.Included.Count > 0 || inputs.LeftOut.Count > 0))
                changed.Add((inputs, hash));
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

    public static Snapshot Build(OutcomeInputs inputs, string hash, SnapshotCause cause, long version, AnalyzedOutcome analyzed, string engineVersion) =>
        new(Snapshot.DocumentId(inputs.ReviewId, inputs.OutcomeId, version), inputs.ReviewId, inputs.OutcomeId, version, cause,
            inputs.DataType, inputs.Settings, analyzed.Included, inputs.LeftOut, analyzed.Summary, analyzed.Result, engineVersion, hash,
            analyzed.StudiesOnRead);
}
