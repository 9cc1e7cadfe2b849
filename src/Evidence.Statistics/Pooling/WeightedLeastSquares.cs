using Evidence.Statistics.Numerics;

namespace Evidence.Statistics.Pooling;

/// <summary>
/// A weighted least-squares fit of y on X with weights w, and the traces of the projection
/// P = W - W X (XᵀWX)⁻¹ XᵀW that the tau² estimators need, all in O(k p²).
/// </summary>
internal sealed class WeightedLeastSquares
{
    public WeightedLeastSquares(double[] y, double[][] x, double[] w)
    {
        var k = y.Length;
        var p = x[0].Length;
        if (IsIntercept(x))
        {
            // The common case (no moderators) in closed form: one pass for the weighted mean, one for the rest.
            double sw = 0, swy = 0;
            for (var i = 0; i < k; i++)
            {
                sw += w[i];
                swy += w[i] * y[i];
            }
            var mean = swy / sw;
            // Made into a matrix only when asked: a multi-dimensional array is slow to allocate, and
            // the tau² iterations build dozens of fits per analysis without reading it.
            interceptInverse = 1 / sw;
            Beta = [mean];
            double sw2 = 0, sw3 = 0;
            for (var i = 0; i < k; i++)
            {
                var r = y[i] - mean;
                var w2 = w[i] * w[i];
                Rss += w[i] * r * r;
                WeightedResidualSquares += w2 * r * r;
                sw2 += w2;
                sw3 += w2 * w[i];
            }
            SumW = sw;
            SumW2 = sw2;
            TraceP = sw - sw2 / sw;
            TracePP = sw2 - 2 * sw3 / sw + sw2 * sw2 / (sw * sw);
            return;
        }
        inverse = SmallMatrix.Inverse(SmallMatrix.Gram(x, i => w[i]))
                  ?? throw new ArgumentException("The model matrix is not of full rank.");
        var xty = new double[p];
        for (var i = 0; i < k; i++)
        {
            for (var a = 0; a < p; a++)
                xty[a] += w[i] * x[i][a] * y[i];
        }
        Beta = SmallMatrix.Times(inverse, xty);
        for (var i = 0; i < k; i++)
        {
            var fitted = 0.0;
            for (var a = 0; a < p; a++)
                fitted += x[i][a] * Beta[a];
            var r = y[i] - fitted;
            var h = SmallMatrix.Quadratic(inverse, x[i]);
            Rss += w[i] * r * r;
            WeightedResidualSquares += w[i] * w[i] * r * r;
            SumW += w[i];
            SumW2 += w[i] * w[i];
            SumW2H += w[i] * w[i] * h;
            SumW3H += w[i] * w[i] * w[i] * h;
        }
        TraceP = SumW - SumW2H;
        TracePP = SumW2 - 2 * SumW3H + SmallMatrix.TraceOfSquare(inverse, SmallMatrix.Gram(x, i => w[i] * w[i]));
    }

    /// <summary>
    /// The Rss of an intercept-only fit with weights 1/(v + τ²), Σ w (y - ȳ_w)², without building
    /// the fit: the constructor's closed form, the same arithmetic in the same order, so the result is
    /// identical to the bit. The Q-profile and Paule-Mandel searches evaluate it dozens of times per
    /// analysis, and there it saves the weight array and the sums they do not need.
    /// </summary>
    public static double InterceptRss(double[] y, double[] v, double tau2)
    {
        double sw = 0, swy = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var w = 1 / (v[i] + tau2);
            sw += w;
            swy += w * y[i];
        }
        var mean = swy / sw;
        var rss = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var r = y[i] - mean;
            rss += 1 / (v[i] + tau2) * r * r;
        }
        return rss;
    }

    public static bool IsIntercept(double[][] x)
    {
        if (x.Length == 0 || x[0].Length != 1)
            return false;
        foreach (var row in x)
        {
            if (row[0] != 1)
                return false;
        }
        return true;
    }

    private readonly double interceptInverse;
    private double[,]? inverse;

    /// <summary>(XᵀWX)⁻¹.</summary>
    public double[,] Inverse => inverse ??= new[,] { { interceptInverse } };

    public double[] Beta { get; }

    /// <summary>Σ w r² = yᵀPy, the (generalised) Q.</summary>
    public double Rss { get; }

    /// <summary>Σ (w r)² = yᵀPPy.</summary>
    public double WeightedResidualSquares { get; }

    public double SumW { get; }

    public double SumW2 { get; }

    public double TraceP { get; }

    public double TracePP { get; }

    private double SumW2H { get; }

    private double SumW3H { get; }
}
