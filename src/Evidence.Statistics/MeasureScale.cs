namespace Evidence.Statistics;

/// <summary>
/// A measure's analysis and natural scales at one sample size: the harmonic mean of the studies' sizes
/// <c>ni</c>, which only the Freeman-Tukey transform (PFT) reads. A measure without a transform reads
/// the same on both scales.
/// </summary>
public sealed record MeasureScale(MeasureDefinition Measure, double HarmonicMeanN)
{
    /// <summary>How a plot's axis names the measure (<see cref="MeasureDefinition.AxisLabel"/>).</summary>
    public string AxisLabel => Measure.AxisLabel;

    /// <summary>Whether the measure is a ratio (<see cref="MeasureDefinition.IsRatio"/>).</summary>
    public bool IsRatio => Measure.IsRatio;

    /// <summary>Whether the natural scale differs from the analysis scale (the measure has a transform).</summary>
    public bool Transformed => Measure.Transform is not null;

    /// <summary>The value of no effect on the natural scale (<see cref="MeasureDefinition.NullValue"/>).</summary>
    public double? NullValue => Measure.NullValue;

    /// <summary>An analysis-scale value on the natural scale (the back-transform); unchanged when the measure has no transform.</summary>
    public double ToNatural(double analysis) => Measure.Transform is { } t ? t.ToNatural(analysis, HarmonicMeanN) : analysis;

    /// <summary>A natural-scale value on the analysis scale (the transform); unchanged when the measure has no transform.</summary>
    public double ToAnalysis(double natural) => Measure.Transform is { } t ? t.ToAnalysis(natural, HarmonicMeanN) : natural;

    /// <summary>The harmonic mean k / Σ 1/nᵢ of <paramref name="sizes"/> (NaN when there are none).</summary>
    public static double HarmonicMean(IReadOnlyList<double> sizes) => sizes.Count / sizes.Sum(v => 1 / v);
}
