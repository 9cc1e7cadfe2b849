namespace Evidence.Benchmarks;

/// <summary>
/// Effects and variances from a closed formula, so metafor-bench.R builds exactly the same data:
/// yᵢ = 0.3 + 0.5 sin(1.7 i), vᵢ = 0.02 + 0.08 ((7919 i) mod 100) / 100, for i = 1..k.
/// </summary>
public static class SyntheticData
{
    public static (double[] Y, double[] V) Effects(int k)
    {
        var y = new double[k];
        var v = new double[k];
        for (var i = 1; i <= k; i++)
        {
            y[i - 1] = 0.3 + 0.5 * Math.Sin(1.7 * i);
            v[i - 1] = 0.02 + 0.08 * (7919L * i % 100) / 100.0;
        }
        return (y, v);
    }
}
