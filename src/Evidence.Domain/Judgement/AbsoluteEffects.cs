using System.Globalization;
using Evidence.Domain.Snapshots;
using Evidence.Statistics;

namespace Evidence.Domain.Judgement;

/// <summary>Turns a binary outcome's pooled relative effect into absolute terms (<see cref="AbsoluteEffect"/>).</summary>
public static class AbsoluteEffects
{
    /// <summary>
    /// The absolute effect of a version, or null: not a binary RR, OR (PETO counts as an odds ratio)
    /// or RD analysis, no estimate or CI, or (for RR and OR) no control risk.
    /// The control risk is <see cref="DecisionThresholds.ControlRisk"/> where one is assumed
    /// (<c>assumed</c>), otherwise, with <see cref="DecisionThresholds.PooledControlRisk"/>, the
    /// control groups' events over their participants across <paramref name="included"/>,
    /// Σcᵢ / Σ(cᵢ + dᵢ) (<c>pooled</c>; null when they have no participants). RD needs none: its
    /// pooled difference is the absolute effect (<c>none</c>).
    /// </summary>
    public static AbsoluteEffect? Of(MeasureDefinition measure, SnapshotSummary summary, DecisionThresholds thresholds, IReadOnlyList<StudyInput> included)
    {
        if (measure.DataType != DataType.Binary || !summary.Estimable)
            return null;
        var natural = summary.Natural();
        if (natural.Estimate is not { } estimate || natural.CiLower is not { } lower || natural.CiUpper is not { } upper)
            return null;
        if (measure.Measure == Measure.RD)
            return Effect(null, "none", null, estimate, lower, upper, thresholds.HigherIsBetter);
        Func<double, double, double>? risk = measure.Measure switch
        {
            Measure.RR => RiskFromRiskRatio,
            Measure.OR or Measure.PETO => RiskFromOddsRatio,
            _ => null,
        };
        if (risk is null || ControlRisk(thresholds, included) is not (var control, var source))
            return null;
        return Effect(control, source, risk(control, estimate),
            risk(control, estimate) - control, risk(control, lower) - control, risk(control, upper) - control, thresholds.HigherIsBetter);
    }

    /// <summary>CR·RR, capped at 1: a risk ratio above 1 / CR would give a risk above 1.</summary>
    private static double RiskFromRiskRatio(double control, double ratio) => Math.Min(control * ratio, 1);

    /// <summary>The risk whose odds are the control odds times the ratio: CR·OR / (1 - CR + CR·OR).</summary>
    private static double RiskFromOddsRatio(double control, double ratio) => control * ratio / (1 - control + control * ratio);

    private static (double Risk, string Source)? ControlRisk(DecisionThresholds thresholds, IReadOnlyList<StudyInput> included)
    {
        if (thresholds.ControlRisk is { } assumed)
            return (assumed, "assumed");
        if (!thresholds.PooledControlRisk)
            return null;
        double events = 0, participants = 0;
        foreach (var study in included)
        {
            if (study.Data.TryGetValue("ci", out var c) && study.Data.TryGetValue("di", out var d))
            {
                events += c;
                participants += c + d;
            }
        }
        return participants > 0 ? (events / participants, "pooled") : null;
    }

    /// <summary>The effect from the risk difference (a proportion) at the estimate and the CI's bounds.</summary>
    private static AbsoluteEffect Effect(double? control, string source, double? interventionRisk, double difference, double lower, double upper, bool higherIsBetter) =>
        new(control, source, interventionRisk, 1000 * difference, 1000 * lower, 1000 * upper, Nnt(difference, lower, upper, higherIsBetter));

    private static NumberNeededToTreat Nnt(double difference, double lower, double upper, bool higherIsBetter)
    {
        var point = Bound(difference, higherIsBetter);
        var from = Bound(lower, higherIsBetter);
        var to = Bound(upper, higherIsBetter);
        var spans = lower <= 0 && 0 <= upper;
        return new NumberNeededToTreat(point.Kind, point.Value, from, to, spans, $"{Text(point)} ({Interval(from, to, spans)})");
    }

    private static NntBound Bound(double difference, bool higherIsBetter) =>
        difference == 0 ? new("none", null) : new(difference > 0 == higherIsBetter ? "benefit" : "harm", 1 / Math.Abs(difference));

    /// <summary>One-sided: smaller NNT first; spanning 0 (Altman): harm, infinity, benefit, leaving out a bound exactly at 0.</summary>
    private static string Interval(NntBound a, NntBound b, bool spans)
    {
        if (!spans)
            return a.Value <= b.Value ? $"{Text(a)} to {Rounded(b.Value!.Value)}" : $"{Text(b)} to {Rounded(a.Value!.Value)}";
        var harm = a.Kind == "harm" ? a : b.Kind == "harm" ? b : null;
        var benefit = a.Kind == "benefit" ? a : b.Kind == "benefit" ? b : null;
        return string.Join(" to ", new[] { harm is null ? null : Text(harm), "∞", benefit is null ? null : Text(benefit) }.OfType<string>());
    }

    private static string Text(NntBound bound) => bound switch
    {
        { Kind: "benefit", Value: { } v } => $"NNTB {Rounded(v)}",
        { Kind: "harm", Value: { } v } => $"NNTH {Rounded(v)}",
        _ => "NNT ∞",
    };

    /// <summary>Rounded up to whole patients; the tolerance keeps 1 / 0.125 from becoming 9 through rounding error in the difference.</summary>
    private static string Rounded(double nnt) => Math.Ceiling(nnt - 1e-9).ToString(CultureInfo.InvariantCulture);
}
