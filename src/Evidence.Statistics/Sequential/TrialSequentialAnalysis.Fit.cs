namespace Evidence.Statistics.Sequential;

public static partial class TrialSequentialAnalysis
{
    /// <summary>
    /// DerSimonian-Laird heterogeneity of a whole data set (all K trials): w_i = 1/v_i,
    /// Q = Σ w_i (y_i - ȳ)² with ȳ = Σ w_i y_i / Σ w_i, tau² = max(0, (Q - (K-1)) / (Σw - Σw²/Σw));
    /// D² = 1 - v_FE / v_RE with v_FE = 1/Σ w_i and v_RE = 1/Σ 1/(v_i + tau²) (Wetterslev et al.
    /// 2009), 0 when tau² = 0; I² = max(0, (Q - (K-1)) / Q), 0 when K = 1. Both are fractions.
    /// </summary>
    /// <exception cref="ArgumentException">No effect sizes, unequal lengths, or a variance that is not positive.</exception>
    public static SequentialHeterogeneity Heterogeneity(IReadOnlyList<double> yi, IReadOnlyList<double> vi)
    {
        var fit = DerSimonianLaird.Fit(yi, vi);
        var d2 = fit.Tau2 > 0 ? 1 - fit.FixedVariance / fit.RandomVariance : 0;
        var i2 = yi.Count > 1 && fit.Q > 0 ? Math.Max(0, (fit.Q - (yi.Count - 1)) / fit.Q) : 0;
        return new SequentialHeterogeneity(fit.Tau2, d2, i2);
    }

    /// <summary>
    /// A look at trials 1..K (<paramref name="yi"/>, <paramref name="vi"/>, K = their count) with
    /// <paramref name="participants"/> accrued: the DerSimonian-Laird random-effects fit of those
    /// trials (metafor's <c>rma(method = "DL")</c>, tau² re-estimated at this look), estimate =
    /// Σ w*_i y_i / Σ w*_i and se = √(1/Σ w*_i) with w*_i = 1/(v_i + tau²). One trial: tau² = 0,
    /// estimate y₁, se √v₁.
    /// </summary>
    public static LookInput Look(string label, double participants, IReadOnlyList<double> yi, IReadOnlyList<double> vi)
    {
        var fit = DerSimonianLaird.Fit(yi, vi);
        return new LookInput(label, yi.Count, participants, fit.Estimate, Math.Sqrt(fit.RandomVariance), fit.Tau2);
    }

    /// <summary>The DerSimonian-Laird (1986) fit of an intercept-only random-effects model.</summary>
    private readonly record struct DerSimonianLaird(double Q, double Tau2, double FixedVariance, double RandomVariance, double Estimate)
    {
        public static DerSimonianLaird Fit(IReadOnlyList<double> yi, IReadOnlyList<double> vi)
        {
            var k = yi.Count;
            if (k == 0)
                throw new ArgumentException("at least one effect size is needed", nameof(yi));
            if (vi.Count != k)
                throw new ArgumentException($"{vi.Count} variances for {k} effect sizes", nameof(vi));
            double sw = 0, sw2 = 0, swy = 0;
            for (var i = 0; i < k; i++)
            {
                if (!(vi[i] > 0) || !double.IsFinite(vi[i]) || !double.IsFinite(yi[i]))
                    throw new ArgumentException($"effect size {i + 1} has no finite estimate with a positive variance", nameof(vi));
                var w = 1 / vi[i];
                sw += w;
                sw2 += w * w;
                swy += w * yi[i];
            }
            var mean = swy / sw;
            var q = 0.0;
            for (var i = 0; i < k; i++)
                q += (yi[i] - mean) * (yi[i] - mean) / vi[i];
            var tau2 = k > 1 ? Math.Max(0, (q - (k - 1)) / (sw - sw2 / sw)) : 0;
            double swr = 0, swry = 0;
            for (var i = 0; i < k; i++)
            {
                var w = 1 / (vi[i] + tau2);
                swr += w;
                swry += w * yi[i];
            }
            return new DerSimonianLaird(q, tau2, 1 / sw, 1 / swr, swry / swr);
        }
    }
}
