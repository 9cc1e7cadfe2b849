namespace Evidence.Contracts;

/// <summary>
/// Published after a new pooled-estimate snapshot of an outcome is stored, for any system that
/// follows the review. Numbers are on the analysis scale (log scale for ratios); the natural-scale
/// values are given where the measure has a back-transformation.
/// </summary>
public sealed record EstimateChanged(
    string ReviewId,
    string OutcomeId,
    long Version,
    Guid CauseEventId,
    string CauseType,
    long CauseSequence,
    string? TrialId,
    string By,
    DateTimeOffset At,
    string? Reason,
    int K,
    double? Estimate,
    double? CiLower,
    double? CiUpper,
    double? Tau2,
    double? I2,
    double? NaturalEstimate,
    double? NaturalCiLower,
    double? NaturalCiUpper,
    bool SignificanceFlipped,
    bool DirectionFlipped,
    bool CiNowExcludesNull,
    bool CiNowIncludesNull,
    bool LargeRelativeChange);
