using MathNet.Numerics;

namespace Evidence.Statistics.EffectSizes;

/// <summary>
/// Effect sizes with metafor's <c>escalc</c> definitions and defaults (large-sample variances,
/// <c>vtype = "LS"</c>).
/// <list type="bullet">
/// <item>2x2 tables (OR, RR, RD, PETO): when any cell is 0, 1/2 is added to every cell of that table
/// (<c>add = 1/2, to = "only0"</c>); a table with no events in either group is kept
/// (<c>drop00 = FALSE</c>). OR: log(ad/bc), v = 1/a+1/b+1/c+1/d. RR: log((a/n1)/(c/n2)),
/// v = 1/a-1/n1+1/c-1/n2. RD: a/n1-c/n2, v = p1(1-p1)/n1+p2(1-p2)/n2. PETO: (O-E)/V, v = 1/V with
/// the hypergeometric variance V.</item>
/// <item>MD: m1-m2, v = sd1²/n1+sd2²/n2. SMD (Hedges 1981): g = c(m)·(m1-m2)/s_pooled with the exact
/// correction c(m) = Γ(m/2)/(√(m/2) Γ((m-1)/2)), m = n1+n2-2; v = 1/n1+1/n2+g²/(2(n1+n2)). ROM:
/// log(m1/m2), v = sd1²/(n1 m1²)+sd2²/(n2 m2²).</item>
/// <item>Pre/post (change = post - pre, correlation r): MC: v = (sd_post²+sd_pre²-2r·sd_post·sd_pre)/n.
/// SMCC: c(n-1)·change/sd_change, v = 1/n+y²/(2n). SMCR (Becker 1988): c(n-1)·change/sd_pre,
/// v = 2(1-r)/n+y²/(2n).</item>
/// <item>Proportions: PR x/n, v = p(1-p)/n; PLO log(p/(1-p)), v = 1/x+1/(n-x); for both, when x is 0
/// or n, 1/2 is added to events and non-events. PFT (metafor's halved double arcsine, Freeman and
/// Tukey 1950): ½(asin√(x/(n+1))+asin√((x+1)/(n+1))), v = 1/(4n+2). PAS: asin√(x/n), v = 1/(4n).</item>
/// <item>GEN: yi with vi, or with sei (vi = sei²).</item>
/// </list>
/// The columns each measure reads are its data type's (<see cref="MeasureDefinition.Columns"/>).
/// Invalid input throws <see cref="EffectSizeException"/> naming the study and field: a missing or
/// non-finite value, a negative count, events above the total, SD ≤ 0, n below what the measure
/// needs, r outside [-1, 1], vi ≤ 0, or a ratio measure with a non-positive mean.
/// </summary>
public static class EffectSizeCalculator
{
    /// <summary>
    /// The problem, if any, that makes <paramref name="study"/> unusable under <paramref name="measure"/>
    /// for good: the rule by which input is rejected before it is stored, the same rule the
    /// computation applies. Degenerate but valid data (see <see cref="EffectSizeException.Degenerate"/>)
    /// is not a problem here: it makes the outcome not estimable until the data change.
    /// </summary>
    public static EffectSizeException? Unusable(Measure measure, StudyData study)
    {
        try
        {
            Compute(measure, study);
            return null;
        }
        catch (EffectSizeException e) when (!e.Degenerate)
        {
            return e;
        }
        catch (EffectSizeException)
        {
            return null;
        }
    }

    public static EffectSize Compute(Measure measure, StudyData study)
    {
        var d = new Reader(study);
        switch (measure)
        {
            case Measure.OR or Measure.RR or Measure.RD or Measure.PETO:
            {
                double a = d.Count("ai"), b = d.Count("bi"), c = d.Count("ci"), dd = d.Count("di");
                if (a + b <= 0)
                    throw new EffectSizeException(study.Study, "bi", "group 1 has no participants (ai + bi = 0)");
                if (c + dd <= 0)
                    throw new EffectSizeException(study.Study, "di", "group 2 has no participants (ci + di = 0)");
                if (a == 0 || b == 0 || c == 0 || dd == 0)
                    (a, b, c, dd) = (a + 0.5, b + 0.5, c + 0.5, dd + 0.5);
                return TwoByTwo(measure, a, b, c, dd);
            }
            case Measure.MD or Measure.SMD or Measure.ROM:
            {
                double m1 = d.Finite("m1i"), sd1 = d.Positive("sd1i"), n1 = d.AtLeast("n1i", 1);
                double m2 = d.Finite("m2i"), sd2 = d.Positive("sd2i"), n2 = d.AtLeast("n2i", 1);
                if (measure == Measure.MD)
                    return new(m1 - m2, sd1 * sd1 / n1 + sd2 * sd2 / n2);
                if (measure == Measure.ROM)
                {
                    if (m1 <= 0)
                        throw new EffectSizeException(study.Study, "m1i", "must be greater than zero for a ratio of means");
                    if (m2 <= 0)
                        throw new EffectSizeException(study.Study, "m2i", "must be greater than zero for a ratio of means");
                    return new(Math.Log(m1 / m2), sd1 * sd1 / (n1 * m1 * m1) + sd2 * sd2 / (n2 * m2 * m2));
                }
                if (n1 + n2 <= 3)
                    throw new EffectSizeException(study.Study, "n2i", "n1i + n2i must be at least 4 for a standardised mean difference");
                var pooled = Math.Sqrt(((n1 - 1) * sd1 * sd1 + (n2 - 1) * sd2 * sd2) / (n1 + n2 - 2));
                var g = HedgesCorrection(n1 + n2 - 2) * (m1 - m2) / pooled;
                return new(g, 1 / n1 + 1 / n2 + g * g / (2 * (n1 + n2)));
            }
            case Measure.MC or Measure.SMCC or Measure.SMCR:
            {
                double pre = d.Finite("m_pre"), sdPre = d.Positive("sd_pre"), post = d.Finite("m_post"), sdPost = d.Positive("sd_post");
                double n = d.AtLeast("ni", 2), r = d.Finite("ri");
                if (r < -1 || r > 1)
                    throw new EffectSizeException(study.Study, "ri", "must be between -1 and 1");
                var changeVariance = sdPost * sdPost + sdPre * sdPre - 2 * r * sdPost * sdPre;
                if (measure == Measure.MC)
                    return new(post - pre, changeVariance / n);
                var c = HedgesCorrection(n - 1);
                if (measure == Measure.SMCR)
                {
                    var y = c * (post - pre) / sdPre;
                    return new(y, 2 * (1 - r) / n + y * y / (2 * n));
                }
                if (changeVariance <= 0)
                    throw new EffectSizeException(study.Study, "ri", "gives a change-score SD of zero (ri = 1 with equal SDs), so SMCC has no finite value", degenerate: true);
                var ycc = c * (post - pre) / Math.Sqrt(changeVariance);
                return new(ycc, 1 / n + ycc * ycc / (2 * n));
            }
            case Measure.PR or Measure.PLO or Measure.PFT or Measure.PAS:
            {
                double x = d.Count("xi"), n = d.AtLeast("ni", 1);
                if (x > n)
                    throw new EffectSizeException(study.Study, "xi", "events must not exceed the total ni");
                if (measure is Measure.PFT)
                    return new(0.5 * (Math.Asin(Math.Sqrt(x / (n + 1))) + Math.Asin(Math.Sqrt((x + 1) / (n + 1)))), 1 / (4 * n + 2));
                if (measure is Measure.PAS)
                    return new(Math.Asin(Math.Sqrt(x / n)), 1 / (4 * n));
                double events = x, total = n;
                if (x == 0 || x == n)
                    (events, total) = (x + 0.5, n + 1);
                var p = events / total;
                return measure == Measure.PR
                    ? new(p, p * (1 - p) / total)
                    : new(Math.Log(p / (1 - p)), 1 / events + 1 / (total - events));
            }
            default:
            {
                var yi = d.Finite("yi");
                if (study.Values.ContainsKey("vi"))
                    return new(yi, d.Positive("vi"));
                if (study.Values.ContainsKey("sei"))
                {
                    var se = d.Positive("sei");
                    return new(yi, se * se);
                }
                throw new EffectSizeException(study.Study, "vi", "is missing (give vi or sei)");
            }
        }
    }

    /// <summary>
    /// Hedges' exact bias correction c(m) = Γ(m/2) / (√(m/2) Γ((m-1)/2)), computed on the log scale
    /// so it stays finite for large m (where it tends to 1 - 3/(4m - 1)).
    /// </summary>
    public static double HedgesCorrection(double m) =>
        Math.Exp(SpecialFunctions.GammaLn(m / 2) - Math.Log(Math.Sqrt(m / 2)) - SpecialFunctions.GammaLn((m - 1) / 2));

    private static EffectSize TwoByTwo(Measure measure, double a, double b, double c, double d)
    {
        double n1 = a + b, n2 = c + d;
        switch (measure)
        {
            case Measure.OR:
                return new(Math.Log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d);
            case Measure.RR:
                return new(Math.Log(a / n1 / (c / n2)), 1 / a - 1 / n1 + 1 / c - 1 / n2);
            case Measure.RD:
            {
                double p1 = a / n1, p2 = c / n2;
                return new(p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
            }
            default:
            {
                double n = n1 + n2, events = a + c, nonEvents = b + d;
                var expected = events * n1 / n;
                var variance = events * nonEvents * (n1 / n) * (n2 / n) / (n - 1);
                return new((a - expected) / variance, 1 / variance);
            }
        }
    }

    /// <summary>Reads and checks one study's values, naming the field that is wrong.</summary>
    private readonly struct Reader(StudyData study)
    {
        public double Finite(string field)
        {
            if (!study.Values.TryGetValue(field, out var value))
                throw new EffectSizeException(study.Study, field, "is missing");
            if (!double.IsFinite(value))
                throw new EffectSizeException(study.Study, field, "must be a finite number");
            return value;
        }

        public double Positive(string field)
        {
            var value = Finite(field);
            return value > 0 ? value : throw new EffectSizeException(study.Study, field, "must be greater than zero");
        }

        public double Count(string field)
        {
            var value = Finite(field);
            return value >= 0 ? value : throw new EffectSizeException(study.Study, field, "must not be negative");
        }

        public double AtLeast(string field, double minimum)
        {
            var value = Finite(field);
            return value >= minimum ? value : throw new EffectSizeException(study.Study, field, $"must be at least {minimum}");
        }
    }
}
