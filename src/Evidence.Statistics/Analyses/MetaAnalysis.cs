using System.Globalization;
using Evidence.Statistics.EffectSizes;
using Evidence.Statistics.Numerics;
using Evidence.Statistics.Pooling;

namespace Evidence.Statistics.Analyses;

/// <summary>
/// The whole analysis of one outcome: effect sizes, the overall fit, per-study weights, subgroups,
/// cumulative meta-analysis, leave-one-out, Egger's test; or, with moderators, a meta-regression.
/// </summary>
public static class MetaAnalysis
{
    /// <summary>
    /// Runs the analysis. Throws <see cref="EffectSizeException"/> for data the measure can never use
    /// (naming study and field) and <see cref="ArgumentException"/> for settings that do not fit
    /// together. Valid data that give no estimate (a degenerate effect size, count tables without
    /// information, a fit without a finite estimate and standard error) give a result with
    /// <see cref="AnalysisResult.NotEstimable"/> set, never an exception. With k = 0 the result has no
    /// overall fit. Egger's test needs k ≥ 3; subgroups and cumulative need k ≥ 1.
    /// </summary>
    public static AnalysisResult Run(IReadOnlyList<StudyData> studies, AnalysisSettings settings)
    {
        if (settings.MethodMismatch() is { } mismatch)
            throw new ArgumentException(mismatch);
        if (settings.Conventions == Conventions.RevMan5)
            return RevMan5Pooling.Run(studies, settings);
        if (settings.IsCountMethod)
            return Counts(studies, settings);
        EffectSize[] effects;
        try
        {
            effects = studies.Select(s => EffectSizeCalculator.Compute(settings.Measure, s)).ToArray();
        }
        catch (EffectSizeException e) when (e.Degenerate)
        {
            return AnalysisResult.Without(settings, studies.Count, new NotEstimable($"{e.Study}: {e.Field} {e.Reason}", [e.Study]));
        }
        var y = effects.Select(e => e.Yi).ToArray();
        var v = effects.Select(e => e.Vi).ToArray();
        var warnings = new List<string>();
        if (settings.Moderators is { Count: > 0 } moderators)
            return new AnalysisResult(settings, null, [], null, null, null, null, Regression(studies, y, v, moderators, settings), warnings);
        if (studies.Count == 0)
            return new AnalysisResult(settings, null, [], null, null, null, null, null, warnings);

        var sizes = SampleSizes(studies, settings.Measure);
        var (overall, fit) = Pool(y, v, sizes, settings, withIntervals: true);
        if (Degenerate(overall))
            return AnalysisResult.Without(settings, studies.Count,
                new NotEstimable("The fit gives no finite estimate with a positive standard error.", [.. studies.Select(s => s.Study)]));
        if (!overall.Converged)
            warnings.Add($"{settings.Method} did not converge within {settings.MaxIterations} iterations; tau² is the DerSimonian-Laird estimate.");
        var studyEffects = studies.Select((s, i) => new StudyEffect(s.Study, y[i], v[i], fit.Weights[i])).ToList();

        var order = Ordered(studies, settings.Order);
        var cumulative = !settings.Sensitivity ? null : order.Select((_, n) =>
        {
            var take = order.Take(n + 1).ToArray();
            return new StudyStep(studies[order[n]].Study, Pool(Pick(y, take), Pick(v, take), Pick(sizes, take), settings, withIntervals: false).Pooled);
        }).ToList();
        var leaveOneOut = !settings.Sensitivity || studies.Count < 2 ? null : studies.Select((s, i) =>
        {
            var keep = Enumerable.Range(0, studies.Count).Where(j => j != i).ToArray();
            return new StudyStep(s.Study, Pool(Pick(y, keep), Pick(v, keep), Pick(sizes, keep), settings, withIntervals: false).Pooled);
        }).ToList();

        return new AnalysisResult(settings, overall, studyEffects, Subgroups(studies, y, v, sizes, settings), cumulative, leaveOneOut,
            studies.Count >= 3 ? Egger(y, v, warnings) : null, null, warnings);
    }

    /// <summary>A single intercept-only fit of the given effects, with the Q-profile CI and prediction interval.</summary>
    public static (Pooled Pooled, ModelFit Fit) Pool(double[] y, double[] v, IReadOnlyList<double> sampleSizes, AnalysisSettings settings, bool withIntervals)
    {
        var fit = InverseVariance.Fit(y, v, InverseVariance.Intercept(y.Length), settings.Method, settings.Test, settings.MaxIterations);
        var c = fit.Pooled;
        var randomWithSpread = fit.IsRandomEffects && fit.K >= 2;
        (double Lower, double Upper)? tau2Ci = withIntervals && randomWithSpread ? QProfile.Interval(y, v, InverseVariance.Intercept(y.Length), fit.Tau2) : null;
        double? piLower = null, piUpper = null;
        if (randomWithSpread)
        {
            var half = fit.Critical * Math.Sqrt(c.Se * c.Se + fit.Tau2);
            (piLower, piUpper) = (c.Estimate - half, c.Estimate + half);
        }

        var scale = MeasureCatalogue.Of(settings.Measure).At(MeasureScale.HarmonicMean(sampleSizes));
        var natural = !scale.Transformed ? null : new NaturalScale(scale.ToNatural(c.Estimate), scale.ToNatural(c.CiLower), scale.ToNatural(c.CiUpper),
            piLower is { } pl ? scale.ToNatural(pl) : null, piUpper is { } pu ? scale.ToNatural(pu) : null);
        var pooled = new Pooled(fit.K, c.Estimate, c.Se, c.CiLower, c.CiUpper, c.Statistic, fit.Df, c.P, fit.Tau2, fit.I2, fit.H2,
            fit.Q, fit.QDf, fit.QP, tau2Ci?.Lower, tau2Ci?.Upper, randomWithSpread ? piLower : null, randomWithSpread ? piUpper : null,
            natural, false, fit.Converged, fit.Method);
        return (pooled, fit);
    }

    private static SubgroupAnalysis? Subgroups(IReadOnlyList<StudyData> studies, double[] y, double[] v, IReadOnlyList<double> sizes, AnalysisSettings settings)
    {
        if (settings.Subgroup is not { } variable)
            return null;
        var levels = studies.Select(s => s.Labels.GetValueOrDefault(variable) ?? "(none)").ToList();
        var groups = levels.Distinct(StringComparer.Ordinal).Select(level =>
        {
            var members = Enumerable.Range(0, studies.Count).Where(i => levels[i] == level).ToArray();
            return new SubgroupFit(level, Pool(Pick(y, members), Pick(v, members), Pick(sizes, members), settings, withIntervals: true).Pooled);
        }).ToList();
        var estimates = groups.Select(g => g.Fit.Estimate).ToArray();
        var variances = groups.Select(g => g.Fit.Se * g.Fit.Se).ToArray();
        var between = InverseVariance.Fit(estimates, variances, InverseVariance.Intercept(estimates.Length), Method.FE, Test.Z);
        return new SubgroupAnalysis(variable, groups, between.Q, between.QDf, between.QP);
    }

    /// <summary>
    /// Egger's regression test; null when the standard errors are all equal, because the predictor
    /// is then the intercept again (metafor refuses the model matrix as not of full rank).
    /// </summary>
    internal static EggerTest? Egger(double[] y, double[] v, List<string> warnings)
    {
        var x = v.Select(vi => new[] { 1.0, Math.Sqrt(vi) }).ToArray();
        var w = v.Select(vi => 1 / vi).ToArray();
        if (SmallMatrix.Inverse(SmallMatrix.Gram(x, i => w[i])) is not { } inverse)
        {
            warnings.Add("Egger's test needs studies with different standard errors; all are equal.");
            return null;
        }
        var xty = new double[2];
        for (var i = 0; i < y.Length; i++)
        {
            xty[0] += w[i] * y[i];
            xty[1] += w[i] * x[i][1] * y[i];
        }
        var beta = SmallMatrix.Times(inverse, xty);
        var rss = y.Select((yi, i) => w[i] * Math.Pow(yi - beta[0] - beta[1] * x[i][1], 2)).Sum();
        var df = y.Length - 2;
        var t = beta[1] / Math.Sqrt(rss / df * inverse[1, 1]);
        return new EggerTest(t, df, Distributions.StudentTTwoSidedP(t, df), beta[0]);
    }

    private static MetaRegression Regression(IReadOnlyList<StudyData> studies, double[] y, double[] v, IReadOnlyList<string> moderators, AnalysisSettings settings)
    {
        var x = studies.Select(s => new[] { 1.0 }.Concat(moderators.Select(m => Moderator(s, m))).ToArray()).ToArray();
        var fit = InverseVariance.Fit(y, v, x, settings.Method, settings.Test, settings.MaxIterations);
        var p = x[0].Length;
        var slopes = fit.Coefficients.Skip(1).Select(c => c.Estimate).ToArray();
        var slopeCovariance = new double[p - 1, p - 1];
        for (var a = 1; a < p; a++)
        {
            for (var b = 1; b < p; b++)
                slopeCovariance[a - 1, b - 1] = fit.Covariance[a, b];
        }
        var qm = SmallMatrix.Quadratic(SmallMatrix.Inverse(slopeCovariance)!, slopes);
        var qmP = fit.Df is { } df ? Distributions.FUpper(qm / (p - 1), p - 1, df) : Distributions.ChiSquareUpper(qm, p - 1);
        if (fit.Df is not null)
            qm /= p - 1;
        var interceptOnly = TauSquaredEstimators.Estimate(settings.Method, y, v, InverseVariance.Intercept(y.Length), settings.MaxIterations).Value;
        var r2 = interceptOnly == 0 ? 0 : Math.Max(0, 100 * (interceptOnly - fit.Tau2) / interceptOnly);
        var names = new[] { "intercept" }.Concat(moderators).ToList();
        return new MetaRegression(fit.K, fit.Coefficients.Select((c, i) => new NamedCoefficient(names[i], c)).ToList(),
            fit.Tau2, fit.I2, r2, qm, p - 1, qmP, fit.Q, fit.QDf, fit.QP);
    }

    internal static Table[] Tables(IReadOnlyList<StudyData> studies) => studies.Select(s =>
    {
        foreach (var column in new[] { "ai", "bi", "ci", "di" })
        {
            if (!s.Values.TryGetValue(column, out var value) || !double.IsFinite(value))
                throw new EffectSizeException(s.Study, column, "is missing");
            if (value < 0)
                throw new EffectSizeException(s.Study, column, "must not be negative");
        }
        return new Table(s.Values["ai"], s.Values["bi"], s.Values["ci"], s.Values["di"]);
    }).ToArray();

    private static AnalysisResult Counts(IReadOnlyList<StudyData> studies, AnalysisSettings settings)
    {
        var tables = Tables(studies);
        if (tables.Length == 0)
            return new AnalysisResult(settings, null, [], null, null, null, null, null, []);
        var everyStudy = studies.Select(s => s.Study).ToList();
        // A table informs a count method only when it holds both an event and a non-event; with none
        // such there is nothing to pool, and Q has no table to sum over (df 0, as metafor reports).
        if (tables.All(t => t.A + t.C == 0 || t.B + t.D == 0))
        {
            var nothing = new Pooled(tables.Length, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, null, double.NaN, null, 0, 1,
                0, 0, 1, null, null, null, null, null, true, true, settings.Method);
            var reason = tables.All(t => t.A + t.C == 0)
                ? $"No table has an event in either group, so {settings.Method} has no estimate."
                : $"No table has both an event and a non-event, so {settings.Method} has no estimate.";
            return new AnalysisResult(settings, nothing, [], null, null, null, null, null, [reason], new NotEstimable(reason, everyStudy));
        }
        var fit = settings.Method == Method.PETO ? CountMethods.Peto(tables) : CountMethods.MantelHaenszel(tables, settings.Measure);
        var scale = MeasureCatalogue.Of(settings.Method == Method.PETO ? Measure.PETO : settings.Measure).At(double.NaN);
        var natural = !scale.Transformed ? null : new NaturalScale(scale.ToNatural(fit.Estimate), scale.ToNatural(fit.CiLower), scale.ToNatural(fit.CiUpper), null, null);
        var pooled = new Pooled(fit.K, fit.Estimate, fit.Se, fit.CiLower, fit.CiUpper, fit.Statistic, null, fit.P, null, fit.I2, fit.H2,
            fit.Q, fit.QDf, fit.QP, null, null, null, null, natural, true, true, settings.Method);
        if (Degenerate(pooled))
        {
            var reason = $"The {settings.Method} estimate is not finite or has no sampling variance (every table's events fall in one group, or in none).";
            return new AnalysisResult(settings, pooled, [], null, null, null, null, null, [reason], new NotEstimable(reason, everyStudy));
        }
        return new AnalysisResult(settings, pooled, [], null, null, null, null, null, []);
    }

    /// <summary>A fit without a finite estimate and a positive, finite standard error gives no inference.</summary>
    internal static bool Degenerate(Pooled p) => !double.IsFinite(p.Estimate) || !(p.Se > 0) || !double.IsFinite(p.Se);

    /// <summary>Indexes in the cumulative order: by the order label (numerically when every value is a number), ties in data order.</summary>
    internal static int[] Ordered(IReadOnlyList<StudyData> studies, string? order)
    {
        var indexes = Enumerable.Range(0, studies.Count).ToArray();
        if (order is null)
            return indexes;
        var keys = studies.Select(s => s.Values.TryGetValue(order, out var n) ? n.ToString("R", CultureInfo.InvariantCulture) : s.Labels.GetValueOrDefault(order)).ToArray();
        var numbers = keys.Select(k => double.TryParse(k, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : (double?)null).ToArray();
        return numbers.All(n => n is not null)
            ? indexes.OrderBy(i => numbers[i]!.Value).ToArray()
            : indexes.OrderBy(i => keys[i] ?? "\uffff", StringComparer.Ordinal).ToArray();
    }

    private static double Moderator(StudyData s, string name)
    {
        if (s.Values.TryGetValue(name, out var value))
            return double.IsFinite(value) ? value : throw new EffectSizeException(s.Study, name, "must be a finite number");
        if (s.Labels.TryGetValue(name, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed))
            return parsed;
        throw new EffectSizeException(s.Study, name, "needs a numeric moderator value");
    }

    /// <summary>The sizes a back-transform that reads one averages (harmonic mean of ni, for PFT); zeros for other measures.</summary>
    internal static double[] SampleSizes(IReadOnlyList<StudyData> studies, Measure measure) =>
        MeasureCatalogue.Of(measure).Transform is { ReadsSampleSize: true } ? studies.Select(s => s.Values["ni"]).ToArray() : new double[studies.Count];

    private static double[] Pick(double[] values, int[] indexes) => indexes.Select(i => values[i]).ToArray();

    private static double[] Pick(IReadOnlyList<double> values, int[] indexes) => indexes.Select(i => values[i]).ToArray();
}
