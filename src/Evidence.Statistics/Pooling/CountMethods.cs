using Evidence.Statistics.EffectSizes;
using Evidence.Statistics.Numerics;

namespace Evidence.Statistics.Pooling;

/// <summary>A 2x2 table: events and non-events in group 1 (a, b) and group 2 (c, d).</summary>
public readonly record struct Table(double A, double B, double C, double D);

/// <summary>A pooled estimate from raw 2x2 counts (Mantel-Haenszel or Peto), with its heterogeneity.</summary>
public sealed record CountFit(int K, double Estimate, double Se, double Statistic, double P, double CiLower, double CiUpper,
    double Q, int QDf, double QP, double I2, double H2);

/// <summary>
/// Pooling of raw 2x2 counts, as metafor's <c>rma.mh</c> and <c>rma.peto</c> (no continuity correction
/// of the counts being pooled).
/// <list type="bullet">
/// <item>Mantel-Haenszel (1959): OR = ΣRᵢ/ΣSᵢ with Rᵢ = aᵢdᵢ/Nᵢ, Sᵢ = bᵢcᵢ/Nᵢ and the Robins, Breslow and
/// Greenland (1986) variance; RR = Σaᵢn₂ᵢ/Nᵢ / Σcᵢn₁ᵢ/Nᵢ with Greenland and Robins' (1985) variance;
/// RD = Σ(aᵢn₂ᵢ - cᵢn₁ᵢ)/Nᵢ / Σn₁ᵢn₂ᵢ/Nᵢ with its Greenland-Robins variance.</item>
/// <item>Peto (Yusuf et al. 1985): Σ(Oᵢ - Eᵢ)/ΣVᵢ with hypergeometric Eᵢ, Vᵢ; se = 1/√ΣVᵢ.</item>
/// </list>
/// Q is Σ wᵢ(yᵢ - θ)² over the per-study effects (1/2 added to tables with a zero cell, tables with
/// no events or no non-events in both groups left out, so its df can be below k - 1); for Peto,
/// Σ(Oᵢ-Eᵢ)²/Vᵢ - (Σ(Oᵢ-Eᵢ))²/ΣVᵢ. I² = max(0, 100(Q - df)/Q), H² = Q/df.
/// </summary>
public static class CountMethods
{
    public static CountFit MantelHaenszel(IReadOnlyList<Table> tables, Measure measure)
    {
        double estimate, variance;
        switch (measure)
        {
            case Measure.OR:
            {
                double r = 0, s = 0, pr = 0, psqr = 0, qs = 0;
                foreach (var t in tables)
                {
                    var n = t.A + t.B + t.C + t.D;
                    double pi = (t.A + t.D) / n, qi = (t.B + t.C) / n, ri = t.A / n * t.D, si = t.B / n * t.C;
                    r += ri;
                    s += si;
                    pr += pi * ri;
                    psqr += pi * si + qi * ri;
                    qs += qi * si;
                }
                estimate = Math.Log(r / s);
                variance = 0.5 * (pr / (r * r) + psqr / (r * s) + qs / (s * s));
                break;
            }
            case Measure.RR:
            {
                double r = 0, s = 0, num = 0;
                foreach (var t in tables)
                {
                    double n1 = t.A + t.B, n2 = t.C + t.D, n = n1 + n2;
                    r += t.A * (n2 / n);
                    s += t.C * (n1 / n);
                    num += n1 / n * (n2 / n) * (t.A + t.C) - t.A / n * t.C;
                }
                estimate = Math.Log(r / s);
                variance = num / (r * s);
                break;
            }
            case Measure.RD:
            {
                double num = 0, den = 0, part1 = 0, part2 = 0;
                foreach (var t in tables)
                {
                    double n1 = t.A + t.B, n2 = t.C + t.D, n = n1 + n2;
                    num += t.A * (n2 / n) - t.C * (n1 / n);
                    den += n1 * (n2 / n);
                }
                estimate = num / den;
                foreach (var t in tables)
                {
                    double n1 = t.A + t.B, n2 = t.C + t.D, n = n1 + n2;
                    part1 += t.C * (n1 / n) * (n1 / n) - t.A * (n2 / n) * (n2 / n) + n1 / n * (n2 / n) * (n2 - n1) / 2;
                    part2 += t.A * (n2 - t.C) / n + t.C * (n1 - t.A) / n;
                }
                variance = (estimate * part1 + part2 / 2) / (den * den);
                break;
            }
            default:
                throw new ArgumentException($"Mantel-Haenszel pools OR, RR or RD, not {measure}.");
        }
        var (q, df) = HeterogeneityOfEffects(tables, measure, estimate);
        return Finish(tables.Count, estimate, Math.Sqrt(variance), q, df);
    }

    public static CountFit Peto(IReadOnlyList<Table> tables)
    {
        double sumOE = 0, sumV = 0, sumOE2V = 0;
        int informative = 0, withEffect = 0;
        foreach (var t in tables)
        {
            double n1 = t.A + t.B, n2 = t.C + t.D, n = n1 + n2, events = t.A + t.C, nonEvents = t.B + t.D;
            var expected = events * n1 / n;
            var v = events * nonEvents * (n1 / n) * (n2 / n) / (n - 1);
            if (!((t.A == 0 && t.C == 0) || (t.B == 0 && t.D == 0)))
                withEffect++;
            sumOE += t.A - expected;
            sumV += v;
            if (v > 0)
            {
                sumOE2V += (t.A - expected) * (t.A - expected) / v;
                informative++;
            }
        }
        if (sumV == 0)
            throw new ArgumentException("One of the two outcomes never occurred in any table; Peto's method cannot be used.");
        var estimate = sumOE / sumV;
        var q = Math.Max(0, sumOE2V - sumOE * sumOE / sumV);
        var fit = Finish(tables.Count, estimate, Math.Sqrt(1 / sumV), q, Math.Max(0, withEffect - 1));
        return informative > 1 ? fit : fit with { Q = q, QP = 1, I2 = 0, H2 = 1 };
    }

    private static CountFit Finish(int k, double estimate, double se, double q, int df)
    {
        var z = estimate / se;
        var critical = Distributions.NormalQuantile(0.975);
        var (qp, i2, h2) = df > 0
            ? (Distributions.ChiSquareUpper(q, df), Math.Max(0, 100 * (q - df) / q), q / df)
            : (1.0, 0.0, 1.0);
        return new CountFit(k, estimate, se, z, Distributions.NormalTwoSidedP(z), estimate - critical * se, estimate + critical * se,
            df > 0 ? q : 0, df, qp, i2, h2);
    }

    /// <summary>Q over the per-study effects, leaving out tables with no events (or no non-events) in both groups.</summary>
    private static (double Q, int Df) HeterogeneityOfEffects(IReadOnlyList<Table> tables, Measure measure, double pooled)
    {
        var q = 0.0;
        var used = 0;
        foreach (var t in tables)
        {
            if ((t.A == 0 && t.C == 0) || (t.B == 0 && t.D == 0))
                continue;
            var values = new Dictionary<string, double> { ["ai"] = t.A, ["bi"] = t.B, ["ci"] = t.C, ["di"] = t.D };
            var e = EffectSizeCalculator.Compute(measure, new StudyData("", values));
            q += (e.Yi - pooled) * (e.Yi - pooled) / e.Vi;
            used++;
        }
        return (Math.Max(0, q), Math.Max(0, used - 1));
    }
}
