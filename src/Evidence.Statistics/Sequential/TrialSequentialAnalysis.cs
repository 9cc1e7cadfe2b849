namespace Evidence.Statistics.Sequential;

/// <summary>Trial sequential analysis (Wetterslev et al. 2008): required information size, alpha spending and monitoring boundaries.</summary>
public static class TrialSequentialAnalysis
{
    /// <summary>The unadjusted required information size of <paramref name="design"/>, in participants.</summary>
    public static double RequiredInformationSize(SequentialDesign design) => throw new NotImplementedException();

    /// <summary>DerSimonian-Laird tau², D² and I² of effect sizes <paramref name="yi"/>, <paramref name="vi"/>.</summary>
    public static SequentialHeterogeneity Heterogeneity(IReadOnlyList<double> yi, IReadOnlyList<double> vi) => throw new NotImplementedException();

    /// <summary>The fraction H that <paramref name="adjustment"/> takes from <paramref name="heterogeneity"/>.</summary>
    public static double Fraction(HeterogeneityAdjustment adjustment, SequentialHeterogeneity heterogeneity) => throw new NotImplementedException();

    /// <summary>A DerSimonian-Laird fit of the first trials as one look.</summary>
    public static LookInput Look(string label, double participants, IReadOnlyList<double> yi, IReadOnlyList<double> vi) => throw new NotImplementedException();

    /// <summary>Monitors <paramref name="looks"/> (in order) against an adjusted RIS.</summary>
    public static IReadOnlyList<SequentialLook> Monitor(IReadOnlyList<LookInput> looks, double risAdjusted, double alpha, SpendingFunction spending) =>
        throw new NotImplementedException();

    /// <summary>The boundaries, alpha spent and look types at information fractions <paramref name="t"/>.</summary>
    public static BoundarySet Boundaries(IReadOnlyList<double> t, double alpha, SpendingFunction spending) => throw new NotImplementedException();

    /// <summary>A whole TSA of <paramref name="trials"/> in the given order: one look per trial.</summary>
    public static SequentialResult Analyze(IReadOnlyList<StudyData> trials, Measure measure, SequentialDesign design) => throw new NotImplementedException();
}
