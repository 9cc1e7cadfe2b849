namespace Evidence.Statistics.Analyses;

/// <summary>
/// From a measure's analysis scale back to the scale people read: exp for ratios (OR, RR, ROM,
/// PETO); the inverse logit for PLO; sin² for PAS (0 below 0, 1 above π/2); and for PFT the inverse
/// of metafor's halved double arcsine (Miller 1978) with n the harmonic mean of the studies' sizes
/// (0 and 1 beyond the transform's range at that n). Other measures have none (null).
/// </summary>
public static class BackTransform
{
    public static Func<double, double>? For(Measure measure, IReadOnlyList<double> sampleSizes) => measure switch
    {
        Measure.OR or Measure.RR or Measure.ROM or Measure.PETO => Math.Exp,
        Measure.PLO => x => 1 / (1 + Math.Exp(-x)),
        Measure.PAS => x => x < 0 ? 0 : x > Math.PI / 2 ? 1 : Math.Pow(Math.Sin(x), 2),
        Measure.PFT => InverseFreemanTukey(HarmonicMean(sampleSizes)),
        _ => null,
    };

    public static double HarmonicMean(IReadOnlyList<double> values) => values.Count / values.Sum(v => 1 / v);

    /// <summary>metafor's <c>transf.pft</c> at a proportion p and size n.</summary>
    public static double FreemanTukey(double p, double n) =>
        0.5 * (Math.Asin(Math.Sqrt(p * n / (n + 1))) + Math.Asin(Math.Sqrt((p * n + 1) / (n + 1))));

    private static Func<double, double> InverseFreemanTukey(double n) => x =>
    {
        if (x > FreemanTukey(1, n))
            return 1;
        if (x < FreemanTukey(0, n))
            return 0;
        var s = Math.Sin(2 * x);
        return 0.5 * (1 - Math.Sign(Math.Cos(2 * x)) * Math.Sqrt(1 - Math.Pow(s + (s - 1 / s) / n, 2)));
    };
}
