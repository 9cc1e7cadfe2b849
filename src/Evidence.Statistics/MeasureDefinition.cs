namespace Evidence.Statistics;

/// <summary>
/// What one effect measure is: the data it is computed from, the scale it is pooled on and how that
/// scale maps to the one people read, how a plot's axis names it, and the methods that may pool it.
/// <see cref="MeasureCatalogue"/> holds one for every <see cref="Statistics.Measure"/>; the effect
/// size itself is <see cref="EffectSizes.EffectSizeCalculator.Compute"/>.
/// </summary>
/// <param name="Measure">The measure, by metafor's name.</param>
/// <param name="DataType">The data a study gives for it, and so the columns it reads.</param>
/// <param name="AxisLabel">How a plot's axis names it: the quantity, and for a transformed measure the analysis scale the axis is drawn on.</param>
/// <param name="Transform">From the natural scale to the analysis scale and back; null when the measure is pooled on the scale it is read on.</param>
/// <param name="Methods">The methods that may pool it: every inverse-variance method, and the count methods (MH, PETO) defined for it.</param>
/// <param name="OwnMethod">
/// The count method whose own effect the measure is (Peto's odds ratio is Peto's method's), which a
/// review pools it with; null for the rest. The engine, like metafor, also pools it by inverse variance.
/// </param>
public sealed record MeasureDefinition(
    Measure Measure, DataType DataType, string AxisLabel, ScaleTransform? Transform, IReadOnlyList<Method> Methods, Method? OwnMethod = null)
{
    /// <summary>The measure's name in settings, events and on the command line (<c>OR</c>, <c>ROM</c>).</summary>
    public string Name => Measure.ToString();

    /// <summary>
    /// What a value on the natural scale (the scale people read, after any back-transformation) is
    /// called: the axis label without its analysis scale (<c>Risk ratio</c>, <c>Proportion</c>).
    /// </summary>
    public string NaturalLabel => Transform is null ? AxisLabel : IsRatio ? AxisLabel.Replace(" (log scale)", "", StringComparison.Ordinal) : "Proportion";

    /// <summary>The columns the measure reads (those of its <see cref="DataType"/>).</summary>
    public IReadOnlyList<string> Columns => DataType.Columns;

    /// <summary>Whether the measure is a ratio (OR, RR, ROM, PETO): pooled as its log, with no effect at 1 on the natural scale.</summary>
    public bool IsRatio => Transform == ScaleTransform.Log;

    /// <summary>
    /// The value of no effect on the natural scale: 1 for a ratio, 0 for a measure read on its
    /// analysis scale (a difference, a standardised effect, a raw proportion, a generic effect);
    /// null for a transformed proportion (logit, arcsine, Freeman-Tukey), which has none.
    /// </summary>
    public double? NullValue => IsRatio ? 1 : Transform is null ? 0 : null;

    /// <summary>The measure's scales with <paramref name="harmonicMeanN"/> as the sample size PFT's transform reads.</summary>
    public MeasureScale At(double harmonicMeanN) => new(this, harmonicMeanN);

    public override string ToString() => Name;
}
