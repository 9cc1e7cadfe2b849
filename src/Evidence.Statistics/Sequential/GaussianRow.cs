using System.Numerics;

namespace Evidence.Statistics.Sequential;

/// <summary>
/// Σ_i w_i exp(-u_i²/2) with u_i = u₀ - i δ: one row of the convolution with a Gaussian kernel on a
/// uniform grid, without an exp per term. Since exp(-u_{i+L}²/2) = exp(-u_i²/2) · exp(L u_i δ - L²δ²/2),
/// and that factor is itself multiplied by exp(-L²δ²) from one term to the term L further on, L
/// interleaved products (L = the SIMD width) carry the kernel with two multiplications per term.
/// Each product accumulates a relative rounding error of about 1e-16 per step, far below the
/// accuracy the boundaries need over the few hundred terms of a row.
/// </summary>
internal readonly struct GaussianRow
{
    private static readonly int Lanes = Vector<double>.Count;

    private readonly double delta;
    private readonly Vector<double> decay;

    public GaussianRow(double delta)
    {
        this.delta = delta;
        decay = new Vector<double>(Math.Exp(-Lanes * Lanes * delta * delta));
    }

    /// <summary>Σ_i weights[i] exp(-(u₀ - i δ)²/2).</summary>
    public double Dot(ReadOnlySpan<double> weights, double u0)
    {
        var n = weights.Length;
        var sum = 0.0;
        var i = 0;
        if (n >= 2 * Lanes)
        {
            Span<double> start = stackalloc double[Lanes];
            Span<double> factor = stackalloc double[Lanes];
            for (var l = 0; l < Lanes; l++)
            {
                var u = u0 - l * delta;
                start[l] = Math.Exp(-0.5 * u * u);
                factor[l] = Math.Exp(Lanes * u * delta - 0.5 * Lanes * Lanes * delta * delta);
            }
            var kernel = new Vector<double>(start);
            var step = new Vector<double>(factor);
            var total = Vector<double>.Zero;
            for (; i + Lanes <= n; i += Lanes)
            {
                total += new Vector<double>(weights[i..]) * kernel;
                kernel *= step;
                step *= decay;
            }
            sum = Vector.Sum(total);
        }
        for (; i < n; i++)
        {
            var u = u0 - i * delta;
            sum += weights[i] * Math.Exp(-0.5 * u * u);
        }
        return sum;
    }
}
