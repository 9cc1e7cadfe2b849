namespace Evidence.Domain.Sequential;

/// <summary>
/// An outcome's trial sequential analysis parameters: two-sided alpha, beta (1 - power), the
/// anticipated effect (binary: control risk, a proportion or <c>"pooled"</c>, and relative risk
/// reduction; continuous: mean difference and SD), the heterogeneity adjustment (<c>D2</c>, <c>I2</c>,
/// <c>none</c> or a fraction in [0, 1)) and the spending function (<c>OBF</c> or <c>Pocock</c>).
/// </summary>
public sealed record SequentialSettings(
    double Alpha, double Beta, string Heterogeneity, string Spending,
    double? ControlRisk = null, bool PooledControlRisk = false, double? RelativeRiskReduction = null,
    double? MeanDifference = null, double? StandardDeviation = null);
