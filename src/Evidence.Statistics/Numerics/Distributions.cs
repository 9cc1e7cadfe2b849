using MathNet.Numerics;

namespace Evidence.Statistics.Numerics;

/// <summary>
/// Tail probabilities and quantiles computed to full double precision, as R computes them: upper
/// tails directly (never as 1 - CDF, which loses the p-values of 1e-28 that meta-analyses print),
/// and quantiles polished by Newton steps so that a root search depending on them follows R's path.
/// </summary>
public static class Distributions
{
    /// <summary>Two-sided normal p-value, 2 Φ(-|z|) = erfc(|z| / √2).</summary>
    public static double NormalTwoSidedP(double z) => SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));

    /// <summary>Two-sided Student t p-value with <paramref name="df"/> degrees of freedom, via the regularized incomplete beta.</summary>
    public static double StudentTTwoSidedP(double t, double df) =>
        double.IsInfinity(t) ? 0 : SpecialFunctions.BetaRegularized(df / 2, 0.5, df / (df + t * t));

    /// <summary>Upper tail of the chi-square distribution, P(X &gt; q).</summary>
    public static double ChiSquareUpper(double q, double df) =>
        q <= 0 ? 1 : SpecialFunctions.GammaUpperRegularized(df / 2, q / 2);

    /// <summary>Upper tail of the F distribution, P(X &gt; f).</summary>
    public static double FUpper(double f, double df1, double df2) =>
        f <= 0 ? 1 : SpecialFunctions.BetaRegularized(df2 / 2, df1 / 2, df2 / (df2 + df1 * f));

    /// <summary>The upper tail of the standard normal, Φ(-z) = erfc(z / √2) / 2, to full relative precision far into the tail.</summary>
    public static double NormalUpper(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2));

    /// <summary>
    /// The upper normal quantile: the z with Φ(-z) = <paramref name="upper"/>, i.e. Φ⁻¹(1 - upper),
    /// computed from the tail itself (polished by Newton steps on the relative residual) so that it
    /// stays exact for tails as small as 1e-300, where 1 - upper would round to 1.
    /// </summary>
    public static double NormalUpperQuantile(double upper)
    {
        if (upper <= 0)
            return double.PositiveInfinity;
        if (upper >= 1)
            return double.NegativeInfinity;
        var z = Math.Sqrt(2) * SpecialFunctions.ErfcInv(2 * upper);
        for (var i = 0; i < 3; i++)
        {
            var density = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            if (density <= 0)
                break;
            var step = (NormalUpper(z) - upper) / density;
            z += step;
            if (Math.Abs(step) <= 1e-15 * Math.Max(1, Math.Abs(z)))
                break;
        }
        return z;
    }

    /// <summary>The standard normal quantile.</summary>
    public static double NormalQuantile(double p) => -Math.Sqrt(2) * SpecialFunctions.ErfcInv(2 * p);

    /// <summary>The upper quantile of Student's t: the t with P(T &gt; t) = <paramref name="upper"/>.</summary>
    public static double StudentTUpperQuantile(double upper, double df)
    {
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, df, 1 - upper);
        for (var i = 0; i < 50; i++)
        {
            // Newton on the upper tail: d/dt P(T > t) = -density(t).
            var tail = StudentTTwoSidedP(t, df) / 2;
            var density = MathNet.Numerics.Distributions.StudentT.PDF(0, 1, df, t);
            var step = (tail - upper) / density;
            t += step;
            if (Math.Abs(step) <= 1e-15 * Math.Max(1, Math.Abs(t)))
                break;
        }
        return t;
    }

    /// <summary>The chi-square quantile for the lower-tail probability <paramref name="p"/>.</summary>
    public static double ChiSquareQuantile(double p, double df)
    {
        var x = MathNet.Numerics.Distributions.ChiSquared.InvCDF(df, p);
        for (var i = 0; i < 50; i++)
        {
            var cdf = p < 0.5 ? SpecialFunctions.GammaLowerRegularized(df / 2, x / 2) : 1 - ChiSquareUpper(x, df);
            var density = MathNet.Numerics.Distributions.ChiSquared.PDF(df, x);
            if (density <= 0)
                break;
            var step = (cdf - p) / density;
            x -= step;
            if (Math.Abs(step) <= 1e-15 * Math.Max(1, x))
                break;
        }
        return x;
    }
}
