using Evidence.Statistics.Numerics;

namespace Evidence.Statistics.Pooling;

/// <summary>The between-study variance with how it was found.</summary>
/// <param name="Value">tau², truncated at 0.</param>
/// <param name="Converged">False when an iterative estimator did not converge (the caller falls back to DL).</param>
/// <param name="Iterations">Fisher-scoring or root-finding iterations used (0 for closed forms).</param>
public sealed record TauSquared(double Value, bool Converged, int Iterations);

/// <summary>
/// tau² estimators exactly as metafor's <c>rma.uni</c> computes them (y on X with sampling variances v,
/// k studies, p coefficients):
/// <list type="bullet">
/// <item>DL (DerSimonian and Laird 1986): (Q - (k-p)) / tr(P) with w = 1/v.</item>
/// <item>HE (Hedges 1983): (RSS_OLS - tr(P₀V)) / (k-p), P₀ the unweighted projection.</item>
/// <item>SJ (Sidik and Jonkman 2005): τ₀² · Q(τ₀²) / (k-p) with τ₀² = Σ(y - ȳ)²/k.</item>
/// <item>PM (Paule and Mandel 1982): the τ² in [0, 100] with Q(τ²) = k - p, by R's <c>uniroot</c>; 0 when Q(0) &lt; k - p.</item>
/// <item>ML, REML (Viechtbauer 2005) and EB (Morris 1983; Berkey et al. 1995): Fisher scoring from
/// max(0, HE), step halved while it would go below 0, until the change is ≤ 1e-5 (at most 100
/// iterations). ML/REML then compare the log-likelihood at τ² = 0 and keep 0 if it is higher by more
/// than ε^¼, as metafor does.</item>
/// </list>
/// Every estimate is truncated at 0. With k = 1 tau² is 0.
/// </summary>
public static class TauSquaredEstimators
{
    public const double Threshold = 1e-5;
    public const int MaxIterations = 100;
    public const double UpperBound = 100;

    public static TauSquared Estimate(Method method, double[] y, double[] v, double[][] x, int maxIterations = MaxIterations)
    {
        var k = y.Length;
        var p = x[0].Length;
        if (k == 1 || method is Method.FE or Method.MH or Method.PETO)
            return new(0, true, 0);
        switch (method)
        {
            case Method.DL:
            {
                var fit = new WeightedLeastSquares(y, x, Reciprocal(v, 0));
                return new(Math.Max(0, (fit.Rss - (k - p)) / fit.TraceP), true, 0);
            }
            case Method.HE:
                return new(Math.Max(0, Hedges(y, v, x)), true, 0);
            case Method.SJ:
            {
                var mean = y.Average();
                var tau0 = y.Sum(yi => (yi - mean) * (yi - mean)) / k;
                var fit = new WeightedLeastSquares(y, x, Reciprocal(v, tau0));
                return new(Math.Max(0, tau0 * fit.Rss / (k - p)), true, 0);
            }
            case Method.PM:
                return PauleMandel(y, v, x);
            default:
                return FisherScoring(method, y, v, x, maxIterations);
        }
    }

    /// <summary>The generalised Q: Σ wᵢ (yᵢ - xᵢb)² with wᵢ = 1/(vᵢ + τ²).</summary>
    public static double GeneralisedQ(double tau2, double[] y, double[] v, double[][] x) =>
        WeightedLeastSquares.IsIntercept(x) ? WeightedLeastSquares.InterceptRss(y, v, tau2) : new WeightedLeastSquares(y, x, Reciprocal(v, tau2)).Rss;

    internal static double[] Reciprocal(double[] v, double tau2)
    {
        var w = new double[v.Length];
        for (var i = 0; i < v.Length; i++)
            w[i] = 1 / (v[i] + tau2);
        return w;
    }

    private static double Hedges(double[] y, double[] v, double[][] x)
    {
        var k = y.Length;
        var p = x[0].Length;
        var ones = new double[k];
        Array.Fill(ones, 1.0);
        var ols = new WeightedLeastSquares(y, x, ones);
        var trPV = 0.0;
        for (var i = 0; i < k; i++)
            trPV += v[i] * (1 - SmallMatrix.Quadratic(ols.Inverse, x[i]));
        return (ols.Rss - trPV) / (k - p);
    }

    private static TauSquared PauleMandel(double[] y, double[] v, double[][] x)
    {
        var target = y.Length - x[0].Length;
        if (GeneralisedQ(0, y, v, x) < target)
            return new(0, true, 0);
        if (GeneralisedQ(UpperBound, y, v, x) > target)
            return new(double.NaN, false, 0);
        var iterations = 0;
        var root = Zeroin.Find(t => { iterations++; return GeneralisedQ(t, y, v, x) - target; }, 0, UpperBound, Zeroin.DefaultTolerance, 1000);
        return root is { } r ? new(Math.Max(0, r), true, iterations) : new(double.NaN, false, iterations);
    }

    private static TauSquared FisherScoring(Method method, double[] y, double[] v, double[][] x, int maxIterations)
    {
        var k = y.Length;
        var p = x[0].Length;
        var tau2 = Math.Max(0, Hedges(y, v, x));
        var change = Threshold + 1;
        var iterations = 0;
        while (change > Threshold)
        {
            iterations++;
            var old = tau2;
            var fit = new WeightedLeastSquares(y, x, Reciprocal(v, tau2));
            var adj = method switch
            {
                Method.ML => (fit.WeightedResidualSquares - fit.SumW) / fit.SumW2,
                Method.REML => (fit.WeightedResidualSquares - fit.TraceP) / fit.TracePP,
                _ => (fit.Rss * k / (k - p) - k) / fit.SumW,
            };
            // A step that is not a number, or infinite (when the trace of P² underflows to zero with
            // sampling variances twelve orders of magnitude apart), is no step: halving an infinite
            // step would never end. The iteration stops where it is, as when the step is zero.
            if (!double.IsFinite(adj))
                adj = 0;
            while (tau2 + adj < 0)
                adj /= 2;
            tau2 += adj;
            change = Math.Abs(old - tau2);
            if (iterations > maxIterations)
                return new(tau2, false, iterations);
        }
        if (method is Method.ML or Method.REML && tau2 > Threshold
            && LogLikelihood(method, 0, y, v, x) - LogLikelihood(method, tau2, y, v, x) > Zeroin.DefaultTolerance)
            tau2 = 0;
        return new(Math.Max(0, tau2), true, iterations);
    }

    /// <summary>The ML or REML log-likelihood at <paramref name="tau2"/> (metafor's full form, constants included).</summary>
    private static double LogLikelihood(Method method, double tau2, double[] y, double[] v, double[][] x)
    {
        var k = y.Length;
        var p = x[0].Length;
        var w = Reciprocal(v, tau2);
        var fit = new WeightedLeastSquares(y, x, w);
        var logV = v.Sum(vi => Math.Log(vi + tau2));
        return method == Method.ML
            ? -0.5 * k * Math.Log(2 * Math.PI) - 0.5 * logV - 0.5 * fit.Rss
            : -0.5 * (k - p) * Math.Log(2 * Math.PI) - 0.5 * logV - 0.5 * SmallMatrix.LogDeterminant(SmallMatrix.Gram(x, i => w[i])) - 0.5 * fit.Rss;
    }
}
