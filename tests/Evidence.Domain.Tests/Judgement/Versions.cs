using Evidence.Domain.Judgement;
using Evidence.Domain.Snapshots;

namespace Evidence.Domain.Tests.Judgement;

/// <summary>Hand-built versions of an outcome and the signals of each against the one before.</summary>
internal static class Versions
{
    /// <summary>The cause of a version that no trial made (a settings or thresholds change).</summary>
    public static readonly CauseFacts OutcomeEvent = new("OutcomeThresholdsSet", null, false, false, null);

    public static readonly DecisionThresholds RatioNull = new(Null: 1);

    /// <summary>A risk ratio's version: natural values given, the analysis scale their logs.</summary>
    public static SnapshotSummary Ratio(double estimate, double lower, double upper, double p = 0.5, double? i2 = 10,
        double? piLower = null, double? piUpper = null) =>
        new(3, Math.Log(estimate), Math.Log(lower), Math.Log(upper), p, 0.01, i2, Log(piLower), Log(piUpper),
            estimate, lower, upper, true, piLower, piUpper);

    /// <summary>A difference's version: one scale, no back-transformation.</summary>
    public static SnapshotSummary Difference(double estimate, double lower, double upper, double p = 0.5, double? i2 = 10,
        double? piLower = null, double? piUpper = null) =>
        new(3, estimate, lower, upper, p, 0.01, i2, piLower, piUpper, null, null, null, true);

    public static readonly SnapshotSummary NotEstimable = new(2, null, null, null, null, null, null, null, null, null, null, null, Estimable: false);

    /// <summary>The signals of each version of <paramref name="history"/> against the one before (none for the first).</summary>
    public static List<IReadOnlyList<Signal>> Judge(SignalRules rules, params SignalBasis[] history) =>
        history.Select((basis, i) => SignalEvaluator.Evaluate(i == 0 ? null : history[i - 1], basis, rules, OutcomeEvent)).ToList();

    /// <summary>The signals of the second version against the first, by the default rules unless given.</summary>
    public static IReadOnlyList<Signal> Between(SignalBasis before, SignalBasis after, SignalRules? rules = null, CauseFacts? cause = null) =>
        SignalEvaluator.Evaluate(before, after, rules ?? SignalRules.Default, cause ?? OutcomeEvent);

    public static SignalBasis Basis(SnapshotSummary summary, DecisionThresholds? thresholds = null) => new(summary, thresholds ?? RatioNull);

    /// <summary>The default rules with only <paramref name="kind"/> on (with its parameter, if given).</summary>
    public static SignalRules Only(string kind, double? value = null, IReadOnlyList<I2Band>? bands = null)
    {
        var d = SignalRules.Default;
        RuleSetting S(string k, RuleSetting setting) => k == kind ? setting with { Value = value ?? setting.Value } : setting with { Enabled = false };
        return new SignalRules(S(SignalKinds.Significance, d.Significance), S(SignalKinds.Direction, d.Direction), S(SignalKinds.CiNull, d.CiNull),
            S(SignalKinds.PiNull, d.PiNull), S(SignalKinds.CiThreshold, d.CiThreshold), S(SignalKinds.PiThreshold, d.PiThreshold),
            S(SignalKinds.EstimateThreshold, d.EstimateThreshold), S(SignalKinds.RelativeChange, d.RelativeChange),
            S(SignalKinds.Heterogeneity, d.Heterogeneity), S(SignalKinds.NewTrialWeight, d.NewTrialWeight), S(SignalKinds.TrialStatus, d.TrialStatus),
            bands ?? d.Bands, S(SignalKinds.SequentialBoundary, d.SequentialBoundary!), S(SignalKinds.InformationSize, d.InformationSize!));
    }

    /// <summary>The default rules with <paramref name="kind"/> switched off.</summary>
    public static SignalRules Without(string kind) => SignalRules.Default with
    {
        Significance = Off(kind, SignalKinds.Significance, SignalRules.Default.Significance),
        Direction = Off(kind, SignalKinds.Direction, SignalRules.Default.Direction),
        CiNull = Off(kind, SignalKinds.CiNull, SignalRules.Default.CiNull),
        PiNull = Off(kind, SignalKinds.PiNull, SignalRules.Default.PiNull),
        CiThreshold = Off(kind, SignalKinds.CiThreshold, SignalRules.Default.CiThreshold),
        PiThreshold = Off(kind, SignalKinds.PiThreshold, SignalRules.Default.PiThreshold),
        EstimateThreshold = Off(kind, SignalKinds.EstimateThreshold, SignalRules.Default.EstimateThreshold),
        RelativeChange = Off(kind, SignalKinds.RelativeChange, SignalRules.Default.RelativeChange),
        Heterogeneity = Off(kind, SignalKinds.Heterogeneity, SignalRules.Default.Heterogeneity),
        NewTrialWeight = Off(kind, SignalKinds.NewTrialWeight, SignalRules.Default.NewTrialWeight),
        TrialStatus = Off(kind, SignalKinds.TrialStatus, SignalRules.Default.TrialStatus),
        SequentialBoundary = Off(kind, SignalKinds.SequentialBoundary, SignalRules.Default.SequentialBoundary!),
        InformationSize = Off(kind, SignalKinds.InformationSize, SignalRules.Default.InformationSize!),
    };

    private static RuleSetting Off(string kind, string name, RuleSetting setting) => kind == name ? setting with { Enabled = false } : setting;

    public static IEnumerable<string> Kinds(this IEnumerable<Signal> signals) => signals.Select(s => s.Kind);

    private static double? Log(double? value) => value is { } v ? Math.Log(v) : null;
}
