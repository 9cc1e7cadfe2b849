namespace Evidence.Domain.Snapshots;

/// <summary>
/// How far the snapshots of a review have been brought: the last event sequence of the review whose
/// effects are stored. Written in the same transaction as the snapshots it accounts for, with an
/// optimistic concurrency check: a commit based on progress that another process has moved since
/// fails (and its retry finds the work done), so progress never moves backwards.
/// </summary>
public sealed record SnapshotProgress(string Id, long Sequence);

/// <summary>
/// The newest snapshot of one outcome (id <c>{review}/{outcome}</c>): where the next version starts,
/// with what the signal rules compare the next version against (its headline, thresholds and
/// sequential basis). <see cref="Ledger"/>, the outcome's ledger of looks as of this version, rides
/// with the head in the worker's memory but is stored in its own document
/// (<see cref="Sequential.OutcomeLedger"/>), so readers of heads (the review list) never load it.
/// </summary>
public sealed record SnapshotHead(string Id, string ReviewId, string OutcomeId, long Version, long CauseSequence, string InputHash, SnapshotSummary Summary,
    Judgement.DecisionThresholds? Thresholds = null, Sequential.SequentialBasis? Sequential = null,
    [property: System.Text.Json.Serialization.JsonIgnore] Sequential.SequentialLedger? Ledger = null)
{
    /// <summary>The version as the signal rules compare the next one with it.</summary>
    public Judgement.SignalBasis Basis() => new(Summary, Thresholds ?? Judgement.DecisionThresholds.None, Sequential);

    public static string DocumentId(string review, string outcome) => $"{review}/{outcome}";
}

/// <summary>
/// The high-water mark up to which a reconciliation pass, with no review left behind, brought every
/// review's snapshots. A restarted worker resumes from it and visits only the reviews with events
/// since, instead of every review in the store.
/// </summary>
public sealed record ReconciledMark(string Id, long Sequence)
{
    /// <summary>The one document's id: the mark is shared by every worker.</summary>
    public const string Key = "reconciler";
}
