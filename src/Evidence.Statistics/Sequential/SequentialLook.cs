namespace Evidence.Statistics.Sequential;

/// <summary>What a look is in the monitoring (the reference's <c>look_type</c>).</summary>
public enum LookType
{
    /// <summary>No boundary: too little information, or under 1% of the RIS since the last interim look.</summary>
    None,

    /// <summary>A monitored look before the required information size.</summary>
    Interim,

    /// <summary>The first look that reaches the required information size.</summary>
    Final,

    /// <summary>A look after the final one: no alpha left, the final look's boundary.</summary>
    PostFinal,
}

/// <summary>
/// One look as the monitoring reads it: its label (a study, a version), the number of trials, the
/// participants accrued, and the DerSimonian-Laird random-effects fit of the data at that look
/// (analysis scale).
/// </summary>
public sealed record LookInput(string Label, int K, double Participants, double Estimate, double Se, double Tau2);

/// <summary>
/// One look monitored: its information fraction <see cref="T"/> (participants / adjusted RIS,
/// not capped), Z, type, boundary (null without one), whether |Z| reached it, the alpha spent so far
/// and the TSA-adjusted CI (estimate ± boundary · se, null without a boundary).
/// </summary>
public sealed record SequentialLook(
    string Label, int K, double Participants, double T, double Estimate, double Se, double Tau2, double Z,
    LookType LookType, double? Boundary, bool Crossed, double AlphaSpent, double? CiLower, double? CiUpper);

/// <summary>Boundaries alone: per information fraction, its boundary (null where none), alpha spent and look type.</summary>
public sealed record BoundarySet(IReadOnlyList<double?> Boundaries, IReadOnlyList<double> AlphaSpent, IReadOnlyList<LookType> LookTypes);

/// <summary>Heterogeneity of a whole data set under DerSimonian-Laird: tau², D² and I² (fractions).</summary>
public sealed record SequentialHeterogeneity(double Tau2, double D2, double I2);

/// <summary>
/// A whole trial sequential analysis: the RIS and its adjusted value, the data's heterogeneity, the
/// fraction used, all participants, whether the RIS is reached, and every look.
/// </summary>
public sealed record SequentialResult(
    double Ris, double RisAdjusted, double D2, double I2, double Tau2, double HeterogeneityFraction, double Participants, bool RisReached,
    IReadOnlyList<SequentialLook> Looks);
