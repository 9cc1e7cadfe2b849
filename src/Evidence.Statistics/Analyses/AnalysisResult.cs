using Evidence.Statistics.Pooling;

namespace Evidence.Statistics.Analyses;

/// <summary>Estimate, CI and prediction interval on the natural scale (null where undefined, e.g. the PI at k = 1).</summary>
public sealed record NaturalScale(double Estimate, double CiLower, double CiUpper, double? PiLower, double? PiUpper);

/// <summary>
/// A pooled estimate with its test, heterogeneity, and (for random effects with k ≥ 2) the Q-profile
/// CI of tau² and the prediction interval est ± crit·√(se² + τ²) of metafor's <c>predict()</c>.
/// </summary>
public sealed record Pooled(
    int K, double Estimate, double Se, double CiLower, double CiUpper, double Statistic, double? Df, double? P,
    double? Tau2, double I2, double H2, double Q, int QDf, double QP,
    double? Tau2CiLower, double? Tau2CiUpper, double? PiLower, double? PiUpper,
    NaturalScale? Natural, bool FromCounts, bool Converged, Method Method);

/// <summary>A study's effect, variance and percent weight in the overall fit.</summary>
public sealed record StudyEffect(string Study, double Yi, double Vi, double Weight);

/// <summary>One level of the subgroup variable, fitted on its own (its own tau²).</summary>
public sealed record SubgroupFit(string Level, Pooled Fit);

/// <summary>Subgroup fits and the test for subgroup differences: a common-effect Q across the subgroup estimates.</summary>
public sealed record SubgroupAnalysis(string Variable, IReadOnlyList<SubgroupFit> Groups, double QBetween, int QBetweenDf, double QBetweenP);

/// <summary>The fit after adding <see cref="Study"/> (cumulative), or without <see cref="Study"/> (leave-one-out).</summary>
public sealed record StudyStep(string Study, Pooled Fit);

/// <summary>
/// Egger et al. (1997), classic form: weighted least squares of yᵢ on its standard error with
/// weights 1/vᵢ; the t test of the slope on k - 2 df and the intercept, the estimate as se → 0.
/// </summary>
public sealed record EggerTest(double Statistic, int Df, double P, double LimitEstimate);

/// <summary>A named meta-regression coefficient.</summary>
public sealed record NamedCoefficient(string Name, Coefficient Coefficient);

/// <summary>
/// A mixed-effects meta-regression: coefficients, residual tau² and I², R² (the proportional
/// reduction of tau² against the intercept-only model, in percent, floored at 0), the omnibus test
/// of the moderators QM, and the residual heterogeneity QE.
/// </summary>
public sealed record MetaRegression(int K, IReadOnlyList<NamedCoefficient> Coefficients, double Tau2, double I2, double R2,
    double QM, int QMDf, double QMP, double QE, int QEDf, double QEP);

/// <summary>
/// Why valid data gives no pooled estimate, and the studies that make it so: every table of a count
/// method without an event (or without a non-event), a study whose effect size is not finite, a fit
/// whose estimate or standard error is not finite.
/// </summary>
public sealed record NotEstimable(string Reason, IReadOnlyList<string> Studies);

/// <summary>
/// Everything one analysis gives; <see cref="AnalysisJson"/> writes it in the reference format.
/// <see cref="NotEstimable"/> is set when the data give no estimate; <see cref="Overall"/> then holds
/// what can still be said (k, and for count methods Q on its df), with non-finite numbers.
/// </summary>
public sealed record AnalysisResult(
    AnalysisSettings Settings, Pooled? Overall, IReadOnlyList<StudyEffect> Studies, SubgroupAnalysis? Subgroups,
    IReadOnlyList<StudyStep>? Cumulative, IReadOnlyList<StudyStep>? LeaveOneOut, EggerTest? Egger,
    MetaRegression? Regression, IReadOnlyList<string> Warnings, NotEstimable? NotEstimable = null)
{
    public bool Estimable => NotEstimable is null;

    /// <summary>A result with no estimate: <paramref name="k"/> studies, the reason and the studies behind it.</summary>
    public static AnalysisResult Without(AnalysisSettings settings, int k, NotEstimable why) =>
        new(settings, null, [], null, null, null, null, null, [], why) { StudyCount = k };

    /// <summary>The number of studies of a result without an overall fit; otherwise the fit's k.</summary>
    public int StudyCount { get; init; }
}
