namespace Evidence.Statistics.Sequential;

/// <summary>The alpha-spending function of a trial sequential analysis (Lan and DeMets 1983).</summary>
public enum SpendingFunction
{
    /// <summary>O'Brien-Fleming type: spends almost nothing early.</summary>
    OBrienFleming,

    /// <summary>Pocock type: spends evenly on the information scale.</summary>
    Pocock,
}

/// <summary>How the required information size is inflated for heterogeneity.</summary>
public enum HeterogeneityKind
{
    /// <summary>Diversity D² of the data (Wetterslev 2009).</summary>
    D2,

    /// <summary>Inconsistency I² of the data.</summary>
    I2,

    /// <summary>No adjustment.</summary>
    None,

    /// <summary>A given fraction H in [0, 1).</summary>
    Fraction,
}

/// <summary>The heterogeneity adjustment: its kind, and the fraction when <see cref="HeterogeneityKind.Fraction"/>.</summary>
public sealed record HeterogeneityAdjustment(HeterogeneityKind Kind, double? Fraction = null);

/// <summary>
/// The settings of a trial sequential analysis: two-sided <see cref="Alpha"/>, <see cref="Beta"/>
/// (1 - power), the anticipated effect (binary: control risk <see cref="ControlRisk"/> and relative
/// risk reduction <see cref="RelativeRiskReduction"/>; continuous: <see cref="MeanDifference"/> and
/// <see cref="StandardDeviation"/>), the heterogeneity adjustment and the spending function.
/// </summary>
public sealed record SequentialDesign(
    double Alpha, double Beta, HeterogeneityAdjustment Heterogeneity, SpendingFunction Spending,
    double? ControlRisk = null, double? RelativeRiskReduction = null, double? MeanDifference = null, double? StandardDeviation = null);
