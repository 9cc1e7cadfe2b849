namespace Evidence.Contracts;

/// <summary>Published after a new pooled-estimate snapshot of an outcome is stored.</summary>
public sealed record EstimateChanged(
    string ReviewId,
    string OutcomeId,
    int Version,
    Guid CauseEventId,
    int K,
    double? Estimate,
    double? CiLower,
    double? CiUpper);
