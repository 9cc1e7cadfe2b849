using Evidence.Statistics.Numerics;

namespace Evidence.Statistics.Pooling;

/// <summary>
/// The Q-profile confidence interval for tau² (Viechtbauer 2007), as metafor's <c>confint()</c>:
/// the bounds are where the generalised Q(τ²) equals the 97.5% and 2.5% quantiles of χ² with k - p
/// df, searched in [0, max(100, 10τ²)] with R's <c>uniroot</c> (tolerance ε^¼). A bound whose Q at
/// 0 is already below its quantile is 0. Undefined (null) for k = 1 or a common-effect fit.
/// </summary>
public static class QProfile
{
    public static (double Lower, double Upper)? Interval(double[] y, double[] v, double[][] x, double tau2)
    {
        var k = y.Length;
        var p = x[0].Length;
        if (k - p < 1)
            return null;
        var upperQuantile = Distributions.ChiSquareQuantile(0.975, k - p);
        var lowerQuantile = Distributions.ChiSquareQuantile(0.025, k - p);
        var max = Math.Max(100, tau2 * 10);
        double Q(double t) => TauSquaredEstimators.GeneralisedQ(t, y, v, x);
        var atMax = Q(max);
        var atMin = Q(0);

        double upper, lower;
        if (atMin < lowerQuantile)
            upper = lower = 0;
        else
        {
            upper = atMax > lowerQuantile ? max : Zeroin.Find(t => Q(t) - lowerQuantile, 0, max, Zeroin.DefaultTolerance, 1000) ?? double.NaN;
            if (atMax > upperQuantile)
                lower = upper = max;
            else if (atMin < upperQuantile)
                lower = 0;
            else
                lower = Zeroin.Find(t => Q(t) - upperQuantile, 0, max, Zeroin.DefaultTolerance, 1000) ?? double.NaN;
        }
        return (lower, upper);
    }
}
