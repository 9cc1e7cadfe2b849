namespace Evidence.Domain.Sequential;

/// <summary>
/// The trial sequential analysis of one version, as of that version: the required information size
/// (unadjusted and adjusted by the version's heterogeneity), the heterogeneity it used, the
/// participants, whether the RIS is reached, and every look (the outcome's versions that changed its
/// data, in version order, this one last).
/// </summary>
public sealed record SequentialSection(
    SequentialSettings Settings, double Ris, double RisAdjusted, double D2, double I2, double Tau2, double HeterogeneityFraction,
    double Participants, bool RisReached, IReadOnlyList<SequentialLookView> Looks, double? ControlRisk = null, string? Note = null);

/// <summary>
/// One look of a version's sequential analysis: the version it was, its trials and participants,
/// information fraction, the DerSimonian-Laird estimate (analysis scale), se and Z, its type
/// (<c>interim</c>, <c>final</c>, <c>post_final</c>, <c>none</c>), its boundary, whether it crossed, the alpha spent
/// and the TSA-adjusted CI (analysis scale; the natural scale where the measure has a back-transform).
/// </summary>
public sealed record SequentialLookView(
    long Version, int K, double Participants, double T, double Estimate, double Se, double Z, string LookType, double? Boundary, bool Crossed,
    double AlphaSpent, double? CiLower, double? CiUpper, double? NaturalEstimate = null, double? NaturalCiLower = null, double? NaturalCiUpper = null);
