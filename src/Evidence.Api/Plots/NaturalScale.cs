namespace Evidence.Api.Plots;

/// <summary>
/// How a measure's analysis scale maps to the scale people read: exp for ratios, inverse logit for
/// PLO, sin² for PAS, and the inverse Freeman-Tukey transform (Miller 1978) with the harmonic mean
/// of the sample sizes for PFT. Differences and standardised effects are read as they are.
/// </summary>
public sealed record NaturalScale(string AxisLabel, Func<double, double> ToNatural, Func<double, double>? FromNatural, bool IsRatio)
{
    public static NaturalScale For(string measure, double harmonicMeanN) => measure switch
    {
        "OR" => Ratio("Odds ratio"),
        "PETO" => Ratio("Odds ratio (Peto)"),
        "RR" => Ratio("Risk ratio"),
        "ROM" => Ratio("Ratio of means"),
        "PLO" => new("Proportion (logit scale)", x => 1 / (1 + Math.Exp(-x)), p => Math.Log(p / (1 - p)), false),
        "PAS" => new("Proportion (arcsine scale)", x => Math.Pow(Math.Sin(Math.Clamp(x, 0, Math.PI / 2)), 2), p => Math.Asin(Math.Sqrt(p)), false),
        "PFT" => new("Proportion (Freeman-Tukey scale)", x => InverseFreemanTukey(x, harmonicMeanN), p => FreemanTukey(p, harmonicMeanN), false),
        "PR" => Identity("Proportion"),
        "RD" => Identity("Risk difference"),
        "MD" => Identity("Mean difference"),
        "SMD" => Identity("Standardised mean difference (Hedges' g)"),
        "MC" => Identity("Mean change (after - before)"),
        "SMCR" => Identity("Standardised mean change (raw-score)"),
        "SMCC" => Identity("Standardised mean change (change-score)"),
        _ => Identity("Effect"),
    };

    private static NaturalScale Ratio(string label) => new(label + " (log scale)", Math.Exp, Math.Log, true);

    private static NaturalScale Identity(string label) => new(label, x => x, null, false);

    private static double FreemanTukey(double p, double n) =>
        0.5 * (Math.Asin(Math.Sqrt(p * n / (n + 1))) + Math.Asin(Math.Sqrt((p * n + 1) / (n + 1))));

    private static double InverseFreemanTukey(double x, double n)
    {
        if (x <= FreemanTukey(0, n))
            return 0;
        if (x >= FreemanTukey(1, n))
            return 1;
        // metafor's PFT is the halved double arcsine, hence the 2x.
        var s = Math.Sin(2 * x);
        return 0.5 * (1 - Math.Sign(Math.Cos(2 * x)) * Math.Sqrt(1 - Math.Pow(s + (s - 1 / s) / n, 2)));
    }
}
