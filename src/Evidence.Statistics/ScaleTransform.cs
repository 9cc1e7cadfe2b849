namespace Evidence.Statistics;

/// <summary>
/// A map between a measure's natural scale (what people read: a ratio, a proportion) and its analysis
/// scale (where effects are computed and pooled), both ways. Only <see cref="FreemanTukey"/> reads a
/// sample size n; the others ignore it.
/// </summary>
public sealed class ScaleTransform
{
    private readonly Func<double, double, double> toAnalysis;
    private readonly Func<double, double, double> toNatural;

    private ScaleTransform(string name, bool readsSampleSize, Func<double, double, double> toAnalysis, Func<double, double, double> toNatural)
    {
        Name = name;
        ReadsSampleSize = readsSampleSize;
        this.toAnalysis = toAnalysis;
        this.toNatural = toNatural;
    }

    /// <summary>Ratios: the analysis scale is log θ; back, exp x. No effect is 1, at 0 on the analysis scale.</summary>
    public static readonly ScaleTransform Log = new("log", false, (p, _) => Math.Log(p), (x, _) => Math.Exp(x));

    /// <summary>Proportions: logit p = log(p / (1 - p)); back, the inverse logit 1 / (1 + e^-x).</summary>
    public static readonly ScaleTransform Logit = new("logit", false, (p, _) => Math.Log(p / (1 - p)), (x, _) => 1 / (1 + Math.Exp(-x)));

    /// <summary>Proportions: asin √p; back, sin² x, taken as 0 below 0 and 1 above π/2.</summary>
    public static readonly ScaleTransform ArcsineSquareRoot = new("arcsine square root", false,
        (p, _) => Math.Asin(Math.Sqrt(p)), (x, _) => x < 0 ? 0 : x > Math.PI / 2 ? 1 : Math.Pow(Math.Sin(x), 2));

    /// <summary>
    /// Proportions: metafor's halved Freeman-Tukey double arcsine at size n,
    /// ½(asin √(pn / (n + 1)) + asin √((pn + 1) / (n + 1))) (<c>transf.pft</c>); back, the inverse of
    /// Miller (1978) with n the harmonic mean of the studies' sizes (<c>transf.ipft.hm</c>), taken as 0
    /// below the transform of 0 and 1 above the transform of 1 at that n.
    /// </summary>
    public static readonly ScaleTransform FreemanTukey = new("Freeman-Tukey double arcsine", true, FreemanTukeyOf, InverseFreemanTukey);

    /// <summary>What the transform is called.</summary>
    public string Name { get; }

    /// <summary>Whether the transform depends on the sample size n (only <see cref="FreemanTukey"/>).</summary>
    public bool ReadsSampleSize { get; }

    /// <summary>A natural-scale value on the analysis scale, at size <paramref name="n"/> where the transform reads one.</summary>
    public double ToAnalysis(double natural, double n) => toAnalysis(natural, n);

    /// <summary>An analysis-scale value on the natural scale, at size <paramref name="n"/> where the transform reads one.</summary>
    public double ToNatural(double analysis, double n) => toNatural(analysis, n);

    public override string ToString() => Name;

    private static double FreemanTukeyOf(double p, double n) =>
        0.5 * (Math.Asin(Math.Sqrt(p * n / (n + 1))) + Math.Asin(Math.Sqrt((p * n + 1) / (n + 1))));

    private static double InverseFreemanTukey(double x, double n)
    {
        if (x > FreemanTukeyOf(1, n))
            return 1;
        if (x < FreemanTukeyOf(0, n))
            return 0;
        // metafor's PFT is the halved double arcsine, hence the 2x.
        var s = Math.Sin(2 * x);
        return 0.5 * (1 - Math.Sign(Math.Cos(2 * x)) * Math.Sqrt(1 - Math.Pow(s + (s - 1 / s) / n, 2)));
    }
}
