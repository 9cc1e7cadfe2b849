using Evidence.Statistics.Numerics;

namespace Evidence.Statistics.Pooling;

/// <summary>One coefficient of a fitted model: estimate, standard error, test statistic, p-value and CI.</summary>
public sealed record Coefficient(double Estimate, double Se, double Statistic, double? P, double CiLower, double CiUpper);

/// <summary>
/// An inverse-variance fit (common effect, or random effects with an estimated tau²) of effects y
/// with variances v on a model matrix X (an intercept, then any moderators), as metafor's
/// <c>rma.uni</c>.
/// </summary>
/// <param name="K">Number of studies.</param>
/// <param name="Coefficients">One per column of X; the first is the intercept (the pooled estimate when X is the intercept alone).</param>
/// <param name="Df">Degrees of freedom of the t test (k - p) under Knapp-Hartung, null under z.</param>
/// <param name="Tau2">Estimated (or, for FE, zero) between-study variance.</param>
/// <param name="Q">Cochran's Q (QE with moderators), with w = 1/v.</param>
/// <param name="QDf">k - p.</param>
/// <param name="QP">Upper chi-square tail of Q on k - p df.</param>
/// <param name="I2">Percent: 100 τ²/(τ² + s²) with s² = (k-p)/tr(P) for random effects; max(0, 100 (Q - df)/Q) for FE.</param>
/// <param name="H2">(τ² + s²)/s² for random effects; Q/df for FE.</param>
/// <param name="Weights">Percent weight of each study, 100 wᵢ/Σw with wᵢ = 1/(vᵢ + τ²).</param>
/// <param name="Covariance">Variance-covariance of the coefficients (Knapp-Hartung scaled).</param>
/// <param name="Critical">The quantile used for intervals: z(0.975), or t(0.975, k-p) under Knapp-Hartung.</param>
/// <param name="Method">The method that produced tau² (DL when REML or ML fell back).</param>
/// <param name="Test">The test used (z for k = 1, as metafor).</param>
/// <param name="Converged">False when the requested iterative estimator did not converge and DL was used instead.</param>
/// <param name="Iterations">Iterations of the tau² estimator.</param>
public sealed record ModelFit(
    int K, IReadOnlyList<Coefficient> Coefficients, double? Df, double Tau2,
    double Q, int QDf, double QP, double I2, double H2, IReadOnlyList<double> Weights,
    double[,] Covariance, double Critical, Method Method, Test Test, bool Converged, int Iterations)
{
    /// <summary>The intercept: with no moderators, the pooled estimate.</summary>
    public Coefficient Pooled => Coefficients[0];

    /// <summary>Whether tau² was estimated (any method other than FE).</summary>
    public bool IsRandomEffects => Method != Method.FE;
}

/// <summary>Fits <see cref="ModelFit"/>s.</summary>
public static class InverseVariance
{
    /// <summary>
    /// Fits y on X. tau² comes from <see cref="TauSquaredEstimators"/>; when REML, ML, EB or PM fails
    /// to converge the fit falls back to DL and says so (<see cref="ModelFit.Converged"/> false), as
    /// metafor's <c>method = c("REML", "DL")</c>. Knapp-Hartung multiplies the covariance by
    /// Σwᵢ(yᵢ - xᵢb)²/(k - p) (not truncated at 1) and uses t with k - p df. With k = 1 the test is z.
    /// </summary>
    public static ModelFit Fit(double[] y, double[] v, double[][] x, Method method, Test test, int maxIterations = TauSquaredEstimators.MaxIterations)
    {
        var k = y.Length;
        var p = x[0].Length;
        if (k < p)
            throw new ArgumentException($"{k} studies cannot fit {p} coefficients.");
        var estimate = TauSquaredEstimators.Estimate(method, y, v, x, maxIterations);
        var used = method;
        if (!estimate.Converged)
        {
            used = Method.DL;
            estimate = TauSquaredEstimators.Estimate(Method.DL, y, v, x) with { Converged = false, Iterations = estimate.Iterations };
        }
        var tau2 = estimate.Value;
        if (k == 1)
            test = Test.Z;

        var w = TauSquaredEstimators.Reciprocal(v, tau2);
        var fit = new WeightedLeastSquares(y, x, w);
        var covariance = (double[,])fit.Inverse.Clone();
        double? df = null;
        var critical = Distributions.NormalQuantile(0.975);
        if (test == Test.Knha)
        {
            var s2 = fit.Rss <= 2.220446049250313e-16 ? 0 : fit.Rss / (k - p);
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < p; b++)
                    covariance[a, b] *= s2;
            }
            df = k - p;
            critical = df > 0 ? Distributions.StudentTUpperQuantile(0.025, df.Value) : double.NaN;
        }
        var coefficients = new Coefficient[p];
        for (var a = 0; a < p; a++)
        {
            var se = Math.Sqrt(covariance[a, a]);
            var statistic = fit.Beta[a] / se;
            double? pValue = df is null ? Distributions.NormalTwoSidedP(statistic)
                : df > 0 ? Distributions.StudentTTwoSidedP(statistic, df.Value) : null;
            coefficients[a] = new Coefficient(fit.Beta[a], se, statistic, pValue, fit.Beta[a] - critical * se, fit.Beta[a] + critical * se);
        }

        double q = 0, qp = 1, i2 = 0, h2 = 1;
        if (k > p)
        {
            var fixedFit = new WeightedLeastSquares(y, x, TauSquaredEstimators.Reciprocal(v, 0));
            q = Math.Max(0, fixedFit.Rss);
            qp = Distributions.ChiSquareUpper(q, k - p);
            if (method == Method.FE)
            {
                i2 = Math.Max(0, 100 * (q - (k - p)) / q);
                h2 = q / (k - p);
            }
            else
            {
                var typical = (k - p) / fixedFit.TraceP;
                i2 = 100 * tau2 / (typical + tau2);
                h2 = tau2 / typical + 1;
            }
        }
        var weights = w.Select(wi => 100 * wi / fit.SumW).ToArray();
        return new ModelFit(k, coefficients, df, tau2, q, k - p, qp, i2, h2, weights, covariance, critical,
            used, test, estimate.Converged, estimate.Iterations);
    }

    /// <summary>The intercept-only model matrix; its rows share one array, so it costs one allocation.</summary>
    public static double[][] Intercept(int k)
    {
        var one = new[] { 1.0 };
        var x = new double[k][];
        Array.Fill(x, one);
        return x;
    }
}
