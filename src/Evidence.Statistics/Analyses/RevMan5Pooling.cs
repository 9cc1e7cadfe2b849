using Evidence.Statistics.EffectSizes;
using Evidence.Statistics.Numerics;
using Evidence.Statistics.Pooling;

namespace Evidence.Statistics.Analyses;

/// <summary>
/// An analysis under RevMan 5's conventions (<see cref="Conventions.RevMan5"/>), as RevMan 5 stores
/// its pooled results:
/// <list type="bullet">
/// <item>2x2 tables (OR, RR, RD, PETO): a study with no events in both groups, or only events in both,
/// is not estimable: it is dropped from the model, from k and from the df of Q. A table with a zero
/// cell gets 1/2 added to every cell (so each group's n is one larger, meta's <c>RR.Cochrane</c>);
/// Peto pools the raw counts, each study's effect (O - E)/V with variance 1/V.</item>
/// <item>SMD is RevMan's Hedges' g: g = (1 - 3/(4N - 9))·(m1 - m2)/s_pooled with
/// v = N/(n1·n2) + g²/(2(N - 3.94)), N = n1 + n2. Other effect sizes are metafor's.</item>
/// <item>MH: the Mantel-Haenszel estimate and variance of the corrected counts. PETO: Peto's
/// one-step estimate. FE: the inverse-variance estimate, weights 1/vᵢ.</item>
/// <item>Q = Σ(yᵢ - θ)²/vᵢ around the MH estimate (MH, and DL on OR, RR or RD from 2x2 tables),
/// Peto's Q, or the inverse-variance estimate (FE and DL otherwise); df = k - 1;
/// I² = max(0, 100(Q - df)/Q) (0 when df = 0); H² = Q/df.</item>
/// <item>DL: tau² = max(0, (Q - df)/(Σwᵢ - Σwᵢ²/Σwᵢ)) with wᵢ = 1/vᵢ, from that Q; the pooled
/// estimate is the inverse-variance one with weights 1/(vᵢ + tau²), even for 2x2 data (RevMan's
/// "M-H, random effects").</item>
/// <item>z test and intervals θ ± z(0.975)·se (1.959964); no prediction interval, no tau² interval.</item>
/// <item>Subgroups: each pooled on its own (its own tau²); the test for subgroup differences is the
/// inverse-variance Q between the estimable subgroups' estimates, on their number less one df.</item>
/// </list>
/// Study weights are percent of the model's weights: MH's (OR bᵢcᵢ/Nᵢ, RR cᵢn₁ᵢ/Nᵢ, RD n₁ᵢn₂ᵢ/Nᵢ of the
/// corrected counts), Peto's Vᵢ, or the inverse-variance weights; a dropped study has weight 0 and no
/// effect (NaN). With no estimable study the result is not estimable.
/// </summary>
public static class RevMan5Pooling
{
    /// <summary>
    /// The normal quantile of 95% intervals, 1.959964 to the digits RevMan 5 documents; its stored
    /// intervals (Fleiss 1993, outcome 1.1) agree to 1e-16 with the exact quantile and not with the
    /// rounded one, so the exact one is used.
    /// </summary>
    public static readonly double Critical = Distributions.NormalQuantile(0.975);

    public static AnalysisResult Run(IReadOnlyList<StudyData> studies, AnalysisSettings settings)
    {
        if (settings.MethodMismatch() is { } mismatch)
            throw new ArgumentException(mismatch);
        if (studies.Count == 0)
            return new AnalysisResult(settings, null, [], null, null, null, null, null, []);
        var model = new Model(studies, settings);
        var all = Enumerable.Range(0, studies.Count).ToArray();
        var overall = model.Pool(all, out var weights);
        if (overall is null || MetaAnalysis.Degenerate(overall))
        {
            var dropped = all.Where(i => !model.Kept[i]).Select(i => studies[i].Study).ToList();
            var reason = overall is null
                ? "No study has both an event and a non-event in either group, so RevMan 5's conventions leave none to pool."
                : "The fit gives no finite estimate with a positive standard error.";
            return AnalysisResult.Without(settings, studies.Count, new NotEstimable(reason, dropped.Count > 0 ? dropped : [.. studies.Select(s => s.Study)]));
        }
        var effects = all.Select(i => new StudyEffect(studies[i].Study, model.Yi[i], model.Vi[i], weights[i])).ToList();

        var order = MetaAnalysis.Ordered(studies, settings.Order);
        var cumulative = !settings.Sensitivity ? null : order.Select((_, n) => new StudyStep(studies[order[n]].Study, model.PoolOrEmpty(order.Take(n + 1).ToArray()))).ToList();
        var leaveOneOut = !settings.Sensitivity || studies.Count < 2 ? null : all.Select(i =>
            new StudyStep(studies[i].Study, model.PoolOrEmpty(all.Where(j => j != i).ToArray()))).ToList();
        var kept = all.Where(i => model.Kept[i]).ToArray();
        var warnings = new List<string>();
        var egger = kept.Length >= 3 ? MetaAnalysis.Egger(kept.Select(i => model.Yi[i]).ToArray(), kept.Select(i => model.Vi[i]).ToArray(), warnings) : null;
        if (kept.Length < studies.Count)
            warnings.Add($"{studies.Count - kept.Length} of {studies.Count} studies have no events, or only events, in both groups and are not estimable under RevMan 5's conventions.");
        return new AnalysisResult(settings, overall, effects, Subgroups(studies, model, settings), cumulative, leaveOneOut, egger, null, warnings);
    }

    private static SubgroupAnalysis? Subgroups(IReadOnlyList<StudyData> studies, Model model, AnalysisSettings settings)
    {
        if (settings.Subgroup is not { } variable)
            return null;
        var levels = studies.Select(s => s.Labels.GetValueOrDefault(variable) ?? "(none)").ToList();
        var groups = levels.Distinct(StringComparer.Ordinal).Select(level =>
            new SubgroupFit(level, model.PoolOrEmpty(Enumerable.Range(0, studies.Count).Where(i => levels[i] == level).ToArray()))).ToList();
        var estimable = groups.Where(g => !MetaAnalysis.Degenerate(g.Fit)).ToList();
        var (q, df) = Heterogeneity([.. estimable.Select(g => g.Fit.Estimate)], [.. estimable.Select(g => 1 / (g.Fit.Se * g.Fit.Se))],
            InverseVarianceMean([.. estimable.Select(g => g.Fit.Estimate)], [.. estimable.Select(g => 1 / (g.Fit.Se * g.Fit.Se))]));
        return new SubgroupAnalysis(variable, groups, q, df, df > 0 ? Distributions.ChiSquareUpper(q, df) : 1);
    }

    private static double InverseVarianceMean(double[] y, double[] w) => y.Select((yi, i) => w[i] * yi).Sum() / w.Sum();

    /// <summary>Q = Σwᵢ(yᵢ - centre)² on k - 1 df (0 and 0 for one study or none).</summary>
    private static (double Q, int Df) Heterogeneity(double[] y, double[] w, double centre) =>
        y.Length < 2 ? (0, 0) : (Math.Max(0, y.Select((yi, i) => w[i] * (yi - centre) * (yi - centre)).Sum()), y.Length - 1);

    /// <summary>The studies' effects under the conventions, and the pooling of any subset of them.</summary>
    private sealed class Model
    {
        private readonly AnalysisSettings settings;
        private readonly Table[]? tables;
        private readonly double[] sampleSizes;

        public Model(IReadOnlyList<StudyData> studies, AnalysisSettings settings)
        {
            this.settings = settings;
            var n = studies.Count;
            Yi = new double[n];
            Vi = new double[n];
            Kept = new bool[n];
            sampleSizes = MetaAnalysis.SampleSizes(studies, settings.Measure);
            if (MeasureCatalogue.Of(settings.Measure).DataType == DataType.Binary)
            {
                tables = MetaAnalysis.Tables(studies);
                for (var i = 0; i < n; i++)
                {
                    var raw = tables[i];
                    // Validates the groups' sizes, naming the study, as the default conventions do.
                    EffectSizeCalculator.Compute(settings.Measure, studies[i]);
                    Kept[i] = raw.A + raw.C > 0 && raw.B + raw.D > 0;
                    if (!Kept[i])
                    {
                        (Yi[i], Vi[i]) = (double.NaN, double.NaN);
                        continue;
                    }
                    if (settings.Method != Method.PETO && settings.Measure != Measure.PETO && (raw.A == 0 || raw.B == 0 || raw.C == 0 || raw.D == 0))
                        tables[i] = new Table(raw.A + 0.5, raw.B + 0.5, raw.C + 0.5, raw.D + 0.5);
                    var t = tables[i];
                    if (settings.Method == Method.PETO || settings.Measure == Measure.PETO)
                    {
                        // Peto's per-study (O - E)/V and 1/V of the raw counts: the quantities it pools.
                        double n1 = t.A + t.B, n2 = t.C + t.D, total = n1 + n2;
                        var v = (t.A + t.C) * (t.B + t.D) * (n1 / total) * (n2 / total) / (total - 1);
                        (Yi[i], Vi[i]) = ((t.A - (t.A + t.C) * n1 / total) / v, 1 / v);
                        continue;
                    }
                    var values = new Dictionary<string, double> { ["ai"] = t.A, ["bi"] = t.B, ["ci"] = t.C, ["di"] = t.D };
                    var effect = EffectSizeCalculator.Compute(settings.Measure, new StudyData(studies[i].Study, values));
                    (Yi[i], Vi[i]) = (effect.Yi, effect.Vi);
                }
                return;
            }
            for (var i = 0; i < n; i++)
            {
                var effect = settings.Measure == Measure.SMD ? HedgesG(studies[i]) : EffectSizeCalculator.Compute(settings.Measure, studies[i]);
                (Yi[i], Vi[i], Kept[i]) = (effect.Yi, effect.Vi, true);
            }
        }

        public double[] Yi { get; }

        public double[] Vi { get; }

        /// <summary>Whether each study is estimable (in the model).</summary>
        public bool[] Kept { get; }

        public Pooled PoolOrEmpty(int[] members) => Pool(members, out _) ?? Empty(members.Length);

        /// <summary>The pooled estimate of <paramref name="members"/>, with every study's percent weight; null when none is estimable.</summary>
        public Pooled? Pool(int[] members, out double[] weights)
        {
            weights = new double[Yi.Length];
            var kept = members.Where(i => Kept[i]).ToArray();
            if (kept.Length == 0)
                return null;
            var y = kept.Select(i => Yi[i]).ToArray();
            var v = kept.Select(i => Vi[i]).ToArray();
            var w = v.Select(vi => 1 / vi).ToArray();
            double estimate, se, q, tau2 = 0;
            int df;
            double[] modelWeights;
            switch (settings.Method)
            {
                case Method.MH:
                {
                    var fit = CountMethods.MantelHaenszel([.. kept.Select(i => tables![i])], settings.Measure);
                    (estimate, se, q, df) = (fit.Estimate, fit.Se, fit.Q, fit.QDf);
                    modelWeights = kept.Select(i => MantelHaenszelWeight(tables![i])).ToArray();
                    break;
                }
                case Method.PETO:
                {
                    var fit = CountMethods.Peto([.. kept.Select(i => tables![i])]);
                    (estimate, se, q, df) = (fit.Estimate, fit.Se, fit.Q, fit.QDf);
                    modelWeights = w;
                    break;
                }
                default:
                {
                    var centre = settings.Method == Method.DL && tables is not null && settings.Measure is Measure.OR or Measure.RR or Measure.RD
                        ? CountMethods.MantelHaenszel([.. kept.Select(i => tables[i])], settings.Measure).Estimate
                        : InverseVarianceMean(y, w);
                    (q, df) = Heterogeneity(y, w, centre);
                    if (settings.Method == Method.DL && df > 0)
                    {
                        var sumW = w.Sum();
                        tau2 = Math.Max(0, (q - df) / (sumW - w.Sum(wi => wi * wi) / sumW));
                    }
                    modelWeights = v.Select(vi => 1 / (vi + tau2)).ToArray();
                    estimate = InverseVarianceMean(y, modelWeights);
                    se = Math.Sqrt(1 / modelWeights.Sum());
                    break;
                }
            }
            var total = modelWeights.Sum();
            for (var j = 0; j < kept.Length; j++)
                weights[kept[j]] = 100 * modelWeights[j] / total;

            var z = estimate / se;
            var (lower, upper) = (estimate - Critical * se, estimate + Critical * se);
            var (qp, i2, h2) = df > 0
                ? (Distributions.ChiSquareUpper(q, df), q > 0 ? Math.Max(0, 100 * (q - df) / q) : 0, q / df)
                : (1.0, 0.0, 1.0);
            var scale = MeasureCatalogue.Of(settings.Method == Method.PETO ? Measure.PETO : settings.Measure)
                .At(MeasureScale.HarmonicMean([.. kept.Select(i => sampleSizes[i])]));
            var natural = !scale.Transformed ? null : new NaturalScale(scale.ToNatural(estimate), scale.ToNatural(lower), scale.ToNatural(upper), null, null);
            var fromCounts = settings.IsCountMethod;
            return new Pooled(kept.Length, estimate, se, lower, upper, z, null, Distributions.NormalTwoSidedP(z), fromCounts ? null : tau2,
                i2, h2, df > 0 ? q : 0, df, qp, null, null, null, null, natural, fromCounts, true, settings.Method);
        }

        private Pooled Empty(int k) => new(k, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, null, double.NaN,
            settings.IsCountMethod ? null : double.NaN, 0, 1, 0, 0, 1, null, null, null, null, null, settings.IsCountMethod, true, settings.Method);

        private double MantelHaenszelWeight(Table t)
        {
            double n1 = t.A + t.B, n2 = t.C + t.D, n = n1 + n2;
            return settings.Measure switch
            {
                Measure.OR => t.B * t.C / n,
                Measure.RR => t.C * n1 / n,
                _ => n1 * n2 / n,
            };
        }
    }

    /// <summary>RevMan 5's Hedges' g with its approximate correction and variance.</summary>
    private static EffectSize HedgesG(StudyData study)
    {
        // The default conventions' checks first, so bad data is refused with the same words.
        EffectSizeCalculator.Compute(Measure.SMD, study);
        double m1 = study.Values["m1i"], sd1 = study.Values["sd1i"], n1 = study.Values["n1i"];
        double m2 = study.Values["m2i"], sd2 = study.Values["sd2i"], n2 = study.Values["n2i"];
        var n = n1 + n2;
        var pooled = Math.Sqrt(((n1 - 1) * sd1 * sd1 + (n2 - 1) * sd2 * sd2) / (n - 2));
        var g = (1 - 3 / (4 * n - 9)) * (m1 - m2) / pooled;
        return new EffectSize(g, n / (n1 * n2) + g * g / (2 * (n - 3.94)));
    }
}
