namespace Evidence.Domain.Sequential;

/// <summary>
/// Sets an outcome's trial sequential analysis parameters as a whole, or clears them
/// (<see cref="Clear"/>: no parameter given). <see cref="ControlRisk"/> is a proportion or the word
/// <c>pooled</c>; <see cref="Heterogeneity"/> <c>D2</c>, <c>I2</c>, <c>none</c> or a fraction;
/// <see cref="Spending"/> <c>OBF</c> or <c>Pocock</c> (words in any case).
/// </summary>
public sealed record SetSequential(
    string OutcomeId, long ExpectedVersion, double? Alpha, double? Beta, string? ControlRisk, double? RelativeRiskReduction,
    double? MeanDifference, double? StandardDeviation, string? Heterogeneity, string? Spending, string? Reason)
{
    /// <summary>No parameter given: the command clears the outcome's parameters.</summary>
    public bool Clear => Alpha is null && Beta is null && ControlRisk is null && RelativeRiskReduction is null
        && MeanDifference is null && StandardDeviation is null && Heterogeneity is null && Spending is null;
}
