using System.Text.Json;
using Evidence.Domain.Outcomes;

namespace Evidence.Domain.Snapshots;

/// <summary>
/// The event that made a snapshot: what, where in the log, on which trial, who, when and why. For a
/// batch of trials (<see cref="Batch"/> set) the event is the batch's last, the type
/// <see cref="SnapshotCause.TrialsRecorded"/> and the trial null.
/// </summary>
public sealed record SnapshotCause(Guid EventId, string Type, long Sequence, string? TrialId, string By, DateTimeOffset At, string? Reason,
    SnapshotBatch? Batch = null)
{
    /// <summary>The type of a cause that is a batch of recorded trials.</summary>
    public const string TrialsRecorded = "TrialsRecorded";
}

/// <summary>The batch a version's cause is: its id, the number of trials it recorded, and the sequence of its first event (its last is the cause's).</summary>
public sealed record SnapshotBatch(Guid Id, int Trials, long FirstSequence)
{
    /// <summary>"1 trial", "5 trials": how labels count the batch.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string TrialCount => Trials == 1 ? "1 trial" : $"{Trials} trials";
}

/// <summary>An included trial as the analysis saw it: its data, its effect size and its weight (percent).</summary>
public sealed record IncludedStudy(
    string TrialId, long TrialVersion, int Year, IReadOnlyDictionary<string, double> Data, string? Subgroup, string? Order,
    double? Yi, double? Vi, double? Weight);

/// <summary>
/// The headline of a snapshot on the analysis scale, and on the natural scale where the measure has
/// a back-transformation (ratios, proportions). Null where the analysis gives no value (k = 0, or a
/// version whose data give no estimate: <see cref="Estimable"/> false, the reason in the result).
/// </summary>
public sealed record SnapshotSummary(
    int K, double? Estimate, double? CiLower, double? CiUpper, double? P, double? Tau2, double? I2,
    double? PiLower, double? PiUpper, double? NaturalEstimate, double? NaturalCiLower, double? NaturalCiUpper, bool Estimable = true,
    double? NaturalPiLower = null, double? NaturalPiUpper = null)
{
    /// <summary>Estimate, CI and prediction interval on the natural scale: the back-transformed values, or the analysis-scale ones where the measure has no transform.</summary>
    public (double? Estimate, double? CiLower, double? CiUpper, double? PiLower, double? PiUpper) Natural() =>
        NaturalEstimate is null
            ? (Estimate, CiLower, CiUpper, PiLower, PiUpper)
            : (NaturalEstimate, NaturalCiLower, NaturalCiUpper, NaturalPiLower, NaturalPiUpper);
}

/// <summary>
/// One immutable version of an outcome's pooled estimate. Its id is <c>{review}/{outcome}/{version}</c>;
/// versions run 1, 2, 3... per outcome with no gaps, and each names the event that caused it.
/// <see cref="Result"/> is the analysis in the same JSON as <c>evidence analyze</c>.
/// <see cref="StudiesOnRead"/> marks a version of an outcome with more than
/// <see cref="SnapshotRules.StoredStudyLimit"/> included trials: its per-study sections
/// (<see cref="Included"/>, and <c>studies</c>, <c>cumulative</c> and <c>leave_one_out</c> in the
/// result) are not stored but computed when it is read, from the review's log as of its cause,
/// after checking that those inputs still hash to <see cref="InputHash"/>.
/// <see cref="Thresholds"/> are the decision thresholds the version was judged against (resolved:
/// null only on a version taken before versions were judged;
/// the null filled in), <see cref="Signals"/> the rules that fired against the version before, and
/// <see cref="Absolute"/> the absolute effect of a binary outcome with a control risk, and
/// <see cref="Sequential"/> its trial sequential analysis once the outcome has sequential parameters.
/// </summary>
public sealed record Snapshot(
    string Id, string ReviewId, string OutcomeId, long Version, SnapshotCause Cause,
    string DataType, AnalysisPlan Settings,
    IReadOnlyList<IncludedStudy> Included, IReadOnlyList<LeftOutStudy> LeftOut,
    SnapshotSummary Summary, JsonElement Result, string EngineVersion, string InputHash, bool StudiesOnRead = false,
    Judgement.DecisionThresholds? Thresholds = null, IReadOnlyList<Judgement.Signal>? Signals = null, Judgement.AbsoluteEffect? Absolute = null,
    Sequential.SequentialSection? Sequential = null)
{
    /// <summary>The version as the signal rules compare the next one with it.</summary>
    public Judgement.SignalBasis Basis() =>
        new(Summary, Thresholds ?? Judgement.DecisionThresholds.None, Sequential is null ? null : Evidence.Domain.Sequential.SequentialBasis.Of(Sequential));

    public static string DocumentId(string review, string outcome, long version) => $"{review}/{outcome}/{version}";

    /// <summary>The stored result, typed: read by the serializer that wrote it.</summary>
    public Statistics.Analyses.AnalysisResult Analysis() => Statistics.Analyses.AnalysisJsonReader.Read(Result, Settings.ToSettings());
}

/// <summary>
/// Appended to the outcome's snapshot stream (<see cref="StreamKeys.Snapshots"/>) in the same
/// transaction as the <see cref="Snapshot"/> document: the stream version is the snapshot version, so Marten's optimistic concurrency rules
/// out a gap or a second copy, and the event is what the integration message is published from.
/// </summary>
public sealed record SnapshotTaken(string ReviewId, string OutcomeId, long Version, SnapshotCause Cause, SnapshotSummary Summary, ChangeFlags Flags,
    IReadOnlyList<Judgement.Signal>? Signals = null);
