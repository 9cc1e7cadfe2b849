using System.Globalization;
using Evidence.Domain.Snapshots;

namespace Evidence.Domain.Judgement;

/// <summary>
/// A version as the rules read it: its headline, the thresholds it was judged against (resolved,
/// natural scale) and what its trial sequential analysis says (null without one).
/// </summary>
public sealed record SignalBasis(SnapshotSummary Summary, DecisionThresholds Thresholds, Sequential.SequentialBasis? Sequential = null);

/// <summary>
/// What the event that made a version did to its trial, as the trial rules read it.
/// </summary>
/// <param name="Type">The event's type (<c>TrialRecorded</c>, <c>TrialRetracted</c>, ...).</param>
/// <param name="TrialId">The trial the event is about; null for an outcome's own events.</param>
/// <param name="WasIncluded">The trial was in the outcome's analysis before the event.</param>
/// <param name="IsIncluded">The trial is in the outcome's analysis after it.</param>
/// <param name="Weight">The trial's weight in the new analysis, in percent; null when it is not in it or the fit gives none.</param>
public sealed record CauseFacts(string Type, string? TrialId, bool WasIncluded, bool IsIncluded, double? Weight);

/// <summary>
/// The rules of <see cref="SignalRules"/> applied to a version and the one before it: a pure
/// function, so the worker and a rebuild give the same signals.
/// <list type="bullet">
/// <item>The first version of an outcome (no previous basis) has no signals.</item>
/// <item>A rule switched off (<see cref="RuleSetting.Enabled"/> false) never fires.</item>
/// <item>The estimate rules (all but <c>newTrialWeight</c>, <c>trialStatus</c> and the sequential ones) need both versions
/// estimable, and each needs the values it reads on both sides; the trial rules read the cause only;
/// the sequential rules (<c>sequentialBoundary</c>, <c>informationSize</c>) need both versions with a
/// sequential section, so setting the parameters raises none.</item>
/// <item>Estimates and intervals are read on the natural scale (<see cref="SnapshotSummary.Natural"/>),
/// like the thresholds, except <c>relativeChange</c>, which reads the analysis scale.</item>
/// <item>A line (the null, <c>lower</c>, <c>upper</c>) is judged at its value in each version's
/// thresholds: the previous version against the previous value, the new one against the new value.
/// Where the previous version had no such line (it was newly set), the previous version is judged
/// against the new value, so a new line fires only if the two versions lie differently with respect
/// to it. Where the new version has no such line (it was removed, or the null of a transformed
/// proportion was never set), the rules about it do not fire.</item>
/// <item>Signals come in the order of <see cref="SignalRules.Named"/>; the line rules give one per
/// line crossed, <c>lower</c> before <c>upper</c>.</item>
/// </list>
/// </summary>
public static class SignalEvaluator
{
    private const string NullLine = "null";

    /// <summary>The signals of <paramref name="current"/> against <paramref name="previous"/>, by <paramref name="rules"/>.</summary>
    public static IReadOnlyList<Signal> Evaluate(SignalBasis? previous, SignalBasis current, SignalRules rules, CauseFacts cause)
    {
        if (previous is null)
            return [];
        var estimable = previous.Summary.Estimable && current.Summary.Estimable;
        var signals = new List<Signal>();
        foreach (var (name, rule) in rules.Named())
        {
            if (!rule.Enabled)
                continue;
            IEnumerable<Signal> fired = name switch
            {
                SignalKinds.NewTrialWeight => NewTrialWeight(cause, rule),
                SignalKinds.TrialStatus => TrialStatus(cause),
                SignalKinds.SequentialBoundary => SequentialBoundary(previous.Sequential, current.Sequential),
                SignalKinds.InformationSize => InformationSize(previous.Sequential, current.Sequential),
                _ when !estimable => [],
                SignalKinds.Significance => Significance(previous.Summary, current.Summary, rule),
                SignalKinds.Direction => Direction(previous, current),
                SignalKinds.CiNull => IntervalLines(previous, current, SignalKinds.CiNull, Interval.Confidence, [NullLine]),
                SignalKinds.PiNull => IntervalLines(previous, current, SignalKinds.PiNull, Interval.Prediction, [NullLine]),
                SignalKinds.CiThreshold => IntervalLines(previous, current, SignalKinds.CiThreshold, Interval.Confidence, ["lower", "upper"]),
                SignalKinds.PiThreshold => IntervalLines(previous, current, SignalKinds.PiThreshold, Interval.Prediction, ["lower", "upper"]),
                SignalKinds.EstimateThreshold => EstimateThreshold(previous, current),
                SignalKinds.RelativeChange => RelativeChange(previous.Summary, current.Summary, rule),
                SignalKinds.Heterogeneity => Heterogeneity(previous.Summary, current.Summary, rules.Bands),
                _ => [],
            };
            signals.AddRange(fired);
        }
        return signals;
    }

    /// <summary>
    /// <c>significance</c>: p is below alpha (<see cref="RuleSetting.Value"/>, 0.05 by default) in one
    /// version and not in the other (p &lt; alpha is significant).
    /// </summary>
    private static IEnumerable<Signal> Significance(SnapshotSummary before, SnapshotSummary after, RuleSetting rule)
    {
        if (before.P is not { } p0 || after.P is not { } p1)
            yield break;
        var alpha = rule.Value ?? 0.05;
        if (p0 < alpha == p1 < alpha)
            yield break;
        var text = p1 < alpha
            ? $"now significant at {F(alpha)}: p {P(p0)} -> {P(p1)}"
            : $"no longer significant at {F(alpha)}: p {P(p0)} -> {P(p1)}";
        yield return new Signal(SignalKinds.Significance, text, Values(("p", p0)), Values(("p", p1)));
    }

    /// <summary>
    /// <c>direction</c>: the natural point estimate lies strictly on one side of the null in one
    /// version and strictly on the other in the other (the sign of estimate - null changed; an
    /// estimate exactly on the null is on neither side).
    /// </summary>
    private static IEnumerable<Signal> Direction(SignalBasis previous, SignalBasis current)
    {
        if (Lines(previous, current, NullLine) is not (var n0, var n1)
            || previous.Summary.Natural().Estimate is not { } e0 || current.Summary.Natural().Estimate is not { } e1
            || !Across(e0, n0, e1, n1))
            yield break;
        yield return new Signal(SignalKinds.Direction,
            $"the estimate moved to the other side of the null ({F(n1)}): {F(e0)} -> {F(e1)}",
            Values(("estimate", e0), ("threshold", n0)), Values(("estimate", e1), ("threshold", n1)), NullLine);
    }

    private enum Interval { Confidence, Prediction }

    /// <summary>
    /// <c>ciNull</c>, <c>piNull</c>, <c>ciThreshold</c>, <c>piThreshold</c>: per line, the interval
    /// (natural scale) includes the line in one version (lower &lt;= line &lt;= upper, ends included)
    /// and not in the other. An interval missing on either side (a prediction interval needs k &gt;= 2
    /// and a random-effects model) gives no signal.
    /// </summary>
    private static IEnumerable<Signal> IntervalLines(SignalBasis previous, SignalBasis current, string kind, Interval interval, IReadOnlyList<string> lines)
    {
        if (Bounds(previous.Summary, interval) is not (var lo0, var hi0) || Bounds(current.Summary, interval) is not (var lo1, var hi1))
            yield break;
        var (name, lowerKey, upperKey) = interval == Interval.Confidence ? ("CI", "ciLower", "ciUpper") : ("prediction interval", "piLower", "piUpper");
        foreach (var line in lines)
        {
            if (Lines(previous, current, line) is not (var v0, var v1))
                continue;
            var was = lo0 <= v0 && v0 <= hi0;
            var now = lo1 <= v1 && v1 <= hi1;
            if (was == now)
                continue;
            var what = line == NullLine ? $"the null ({F(v1)})" : $"the {line} threshold ({F(v1)})";
            var text = $"the {name} {(now ? "now includes" : "no longer includes")} {what}: {F(lo0)} to {F(hi0)} -> {F(lo1)} to {F(hi1)}";
            yield return new Signal(kind, text,
                Values((lowerKey, lo0), (upperKey, hi0), ("threshold", v0)), Values((lowerKey, lo1), (upperKey, hi1), ("threshold", v1)), line);
        }
    }

    /// <summary>
    /// <c>estimateThreshold</c>: per decision threshold (<c>lower</c>, <c>upper</c>), the natural
    /// point estimate lies strictly on one side of it in one version and strictly on the other in the
    /// other (as <c>direction</c> for the null).
    /// </summary>
    private static IEnumerable<Signal> EstimateThreshold(SignalBasis previous, SignalBasis current)
    {
        if (previous.Summary.Natural().Estimate is not { } e0 || current.Summary.Natural().Estimate is not { } e1)
            yield break;
        foreach (var line in (string[])["lower", "upper"])
        {
            if (Lines(previous, current, line) is not (var v0, var v1) || !Across(e0, v0, e1, v1))
                continue;
            yield return new Signal(SignalKinds.EstimateThreshold,
                $"the estimate moved to the {(e1 > v1 ? "upper" : "lower")} side of the {line} threshold ({F(v1)}): {F(e0)} -> {F(e1)}",
                Values(("estimate", e0), ("threshold", v0)), Values(("estimate", e1), ("threshold", v1)), line);
        }
    }

    /// <summary>
    /// <c>relativeChange</c>: |new - old| / |old| of the estimate on the analysis scale (a log ratio,
    /// a difference) is at least the value (<see cref="RuleSetting.Value"/>, 0.5 by default). From an
    /// old estimate of exactly 0 any other estimate fires. Before and after give the estimate on the
    /// natural scale, like the other rules; the text gives the analysis-scale values.
    /// </summary>
    private static IEnumerable<Signal> RelativeChange(SnapshotSummary before, SnapshotSummary after, RuleSetting rule)
    {
        if (before.Estimate is not { } old || after.Estimate is not { } @new)
            yield break;
        var limit = rule.Value ?? 0.5;
        var fires = old == 0 ? @new != 0 : Math.Abs(@new - old) / Math.Abs(old) >= limit;
        if (!fires)
            yield break;
        var change = old == 0 ? "from 0" : $"by {Percent(Math.Abs(@new - old) / Math.Abs(old))}";
        yield return new Signal(SignalKinds.RelativeChange,
            $"the estimate changed {change} on the analysis scale ({F(old)} -> {F(@new)}), at least {Percent(limit)}",
            Values(("estimate", before.Natural().Estimate)), Values(("estimate", after.Natural().Estimate)));
    }

    /// <summary>
    /// <c>heterogeneity</c>: the set of bands (<see cref="SignalRules.Bands"/>, both ends included) that
    /// hold the new I² (percent) shares no band with the set that held the old one. With the
    /// Cochrane Handbook's overlapping bands, I² from 35% to 55% stays in "moderate" and does not
    /// fire; from 20% to 55% it does. An I² in no band on both sides, or missing on either, does not fire.
    /// </summary>
    private static IEnumerable<Signal> Heterogeneity(SnapshotSummary before, SnapshotSummary after, IReadOnlyList<I2Band> bands)
    {
        if (before.I2 is not { } i0 || after.I2 is not { } i1)
            yield break;
        var was = bands.Where(b => b.From <= i0 && i0 <= b.To).ToList();
        var now = bands.Where(b => b.From <= i1 && i1 <= b.To).ToList();
        if ((was.Count == 0 && now.Count == 0) || was.Intersect(now).Any())
            yield break;
        yield return new Signal(SignalKinds.Heterogeneity,
            $"I² moved from {F(i0)}% ({Labels(was)}) to {F(i1)}% ({Labels(now)})",
            Values(("i2", i0)), Values(("i2", i1)));
    }

    /// <summary>
    /// <c>newTrialWeight</c>: the cause's trial entered the analysis (it was not in it before the
    /// event and is after it) and its weight in the new analysis, as a fraction (percent / 100), is
    /// at least the value (<see cref="RuleSetting.Value"/>, 0.25 by default). After gives the weight
    /// in percent; before has none.
    /// </summary>
    private static IEnumerable<Signal> NewTrialWeight(CauseFacts cause, RuleSetting rule)
    {
        var limit = rule.Value ?? 0.25;
        if (cause.TrialId is not { } trial || cause.WasIncluded || !cause.IsIncluded || cause.Weight is not { } weight || weight / 100 < limit)
            yield break;
        yield return new Signal(SignalKinds.NewTrialWeight,
            $"{trial} entered the analysis with {Percent(weight / 100)} of the weight, at least {Percent(limit)}",
            Values(("weight", null)), Values(("weight", weight)), TrialId: trial);
    }

    /// <summary>
    /// <c>trialStatus</c>: a trial that was in the analysis before the event was retracted or excluded
    /// (and is no longer in it), or corrected (and is still in it). After gives the corrected trial's
    /// new weight (percent) where the fit gives one.
    /// </summary>
    private static IEnumerable<Signal> TrialStatus(CauseFacts cause)
    {
        if (cause.TrialId is not { } trial || !cause.WasIncluded)
            yield break;
        var what = cause.Type switch
        {
            "TrialRetracted" when !cause.IsIncluded => "retracted",
            "TrialExcluded" when !cause.IsIncluded => "excluded",
            "TrialCorrected" when cause.IsIncluded => "corrected",
            _ => null,
        };
        if (what is null)
            yield break;
        yield return new Signal(SignalKinds.TrialStatus, $"{trial}, in the analysis, was {what}",
            Values(), cause.Weight is { } w ? Values(("weight", w)) : Values(), TrialId: trial);
    }

    /// <summary>
    /// <c>sequentialBoundary</c>: the last look of the version's sequential analysis crosses a
    /// monitoring boundary (|Z| ≥ boundary) and the version before's did not, or the other way round.
    /// Before and after give the last look's Z, boundary and information fraction.
    /// </summary>
    private static IEnumerable<Signal> SequentialBoundary(Sequential.SequentialBasis? before, Sequential.SequentialBasis? after)
    {
        if (before is null || after is null || before.Crossed == after.Crossed)
            yield break;
        var boundary = after.Boundary is { } b ? F(b) : "no boundary";
        var text = after.Crossed
            ? $"the cumulative Z now crosses the monitoring boundary: Z {F(after.Z!.Value)} against {boundary} at t = {F(after.T!.Value)}"
            : after.Z is { } z
                ? $"the cumulative Z no longer crosses a monitoring boundary: Z {F(z)} against {boundary} at t = {F(after.T!.Value)}"
                : "the cumulative Z no longer crosses a monitoring boundary: the version has no look";
        yield return new Signal(SignalKinds.SequentialBoundary, text,
            Values(("z", before.Z), ("boundary", before.Boundary), ("t", before.T)), Values(("z", after.Z), ("boundary", after.Boundary), ("t", after.T)));
    }

    /// <summary>
    /// <c>informationSize</c>: the required information size (adjusted) is reached at this version
    /// (its participants at least the RIS) and was not at the version before. Before and after give
    /// the participants and the adjusted RIS.
    /// </summary>
    private static IEnumerable<Signal> InformationSize(Sequential.SequentialBasis? before, Sequential.SequentialBasis? after)
    {
        if (before is null || after is null || before.RisReached || !after.RisReached)
            yield break;
        yield return new Signal(SignalKinds.InformationSize,
            $"the required information size is reached: {F(after.Participants)} participants of {F(after.RisAdjusted)} required",
            Values(("participants", before.Participants), ("ris", before.RisAdjusted)), Values(("participants", after.Participants), ("ris", after.RisAdjusted)));
    }

    /// <summary>A line's value in the previous and the new version (the new value for both where the previous had none); null where the new version has none.</summary>
    private static (double Before, double After)? Lines(SignalBasis previous, SignalBasis current, string line)
    {
        var after = Line(current.Thresholds, line);
        return after is { } a ? (Line(previous.Thresholds, line) ?? a, a) : null;
    }

    private static double? Line(DecisionThresholds thresholds, string line) => line switch
    {
        NullLine => thresholds.Null,
        "lower" => thresholds.Lower,
        "upper" => thresholds.Upper,
        _ => null,
    };

    /// <summary>Strictly on one side of the line before and strictly on the other after.</summary>
    private static bool Across(double before, double lineBefore, double after, double lineAfter) =>
        before != lineBefore && after != lineAfter && before > lineBefore != after > lineAfter;

    private static (double Lower, double Upper)? Bounds(SnapshotSummary summary, Interval interval)
    {
        var natural = summary.Natural();
        var (lo, hi) = interval == Interval.Confidence ? (natural.CiLower, natural.CiUpper) : (natural.PiLower, natural.PiUpper);
        return lo is { } l && hi is { } h ? (l, h) : null;
    }

    private static string Labels(IReadOnlyList<I2Band> bands) =>
        bands.Count == 0 ? "no band" : string.Join("; ", bands.Select(b => $"{F(b.From)}-{F(b.To)}%: {b.Label}"));

    private static Dictionary<string, double?> Values(params (string Key, double? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (100 * fraction).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string P(double p) => p < 0.0001 ? "<0.0001" : p.ToString("0.####", CultureInfo.InvariantCulture);
}
