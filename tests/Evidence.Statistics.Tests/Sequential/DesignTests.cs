using Evidence.Statistics.Sequential;

namespace Evidence.Statistics.Tests.Sequential;

/// <summary>The required information size, and bad designs rejected with the parameter named.</summary>
public class DesignTests
{
    private static readonly HeterogeneityAdjustment None = new(HeterogeneityKind.None);

    private static SequentialDesign Binary(double alpha = 0.05, double beta = 0.2, double pc = 0.2, double rrr = 0.25, HeterogeneityAdjustment? heterogeneity = null) =>
        new(alpha, beta, heterogeneity ?? None, SpendingFunction.OBrienFleming, ControlRisk: pc, RelativeRiskReduction: rrr);

    [Fact]
    public void RequiredInformationSize_Should_FollowTheFormula_ForBothKindsOfOutcome()
    {
        double za = 1.959963984540054, zb = 0.8416212335729143;
        var pe = 0.2 * 0.75;
        var mean = (0.2 + pe) / 2;

        Assert.Equal(4 * Math.Pow(za + zb, 2) * mean * (1 - mean) / Math.Pow(0.2 - pe, 2), TrialSequentialAnalysis.RequiredInformationSize(Binary()), 1e-9);
        var continuous = new SequentialDesign(0.05, 0.2, None, SpendingFunction.Pocock, MeanDifference: 10, StandardDeviation: 30);
        Assert.Equal(4 * Math.Pow(za + zb, 2) * 900 / 100, TrialSequentialAnalysis.RequiredInformationSize(continuous), 1e-9);
    }

    public static TheoryData<SequentialDesign, string> BadDesigns => new()
    {
        { Binary(alpha: 0), "alpha" },
        { Binary(alpha: 1), "alpha" },
        { Binary(alpha: double.NaN), "alpha" },
        { Binary(beta: 1.2), "beta" },
        { Binary(beta: 0), "beta" },
        { Binary(pc: 0), "pc" },
        { Binary(pc: 1), "pc" },
        { Binary(rrr: 0), "rrr" },
        { Binary(rrr: 1), "rrr" },
        { Binary(pc: 0.6, rrr: -1), "rrr" },
        { Binary(heterogeneity: new(HeterogeneityKind.Fraction, 1)), "heterogeneity" },
        { Binary(heterogeneity: new(HeterogeneityKind.Fraction, -0.1)), "heterogeneity" },
        { Binary(heterogeneity: new(HeterogeneityKind.Fraction)), "heterogeneity" },
        { new(0.05, 0.2, None, SpendingFunction.OBrienFleming, MeanDifference: 0, StandardDeviation: 1), "delta" },
        { new(0.05, 0.2, None, SpendingFunction.OBrienFleming, MeanDifference: 1, StandardDeviation: 0), "sd" },
        { new(0.05, 0.2, None, SpendingFunction.OBrienFleming, MeanDifference: 1), "sd" },
        { new(0.05, 0.2, None, SpendingFunction.OBrienFleming, ControlRisk: 0.2, MeanDifference: 1, StandardDeviation: 2), "pc" },
        { new(0.05, 0.2, None, SpendingFunction.OBrienFleming), "pc" },
        { new(0.05, 0.2, None, (SpendingFunction)7, MeanDifference: 1, StandardDeviation: 2), "spending" },
    };

    [Theory]
    [MemberData(nameof(BadDesigns))]
    public void BadDesign_Should_Throw_NamingTheParameter(SequentialDesign design, string parameter)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => TrialSequentialAnalysis.RequiredInformationSize(design));

        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains(parameter, TrialSequentialAnalysis.Problems(design).Select(p => p.Parameter));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void Boundaries_Should_RejectAlphaOutsideZeroOne(double alpha)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => TrialSequentialAnalysis.Boundaries([0.5, 1], alpha, SpendingFunction.Pocock));

        Assert.Equal("alpha", ex.ParamName);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void Boundaries_Should_RejectAnInformationFractionThatIsNotANumberOfAtLeastZero(double t)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => TrialSequentialAnalysis.Boundaries([0.5, t], 0.05, SpendingFunction.Pocock));

        Assert.Equal("t", ex.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-10)]
    [InlineData(double.NaN)]
    public void Monitor_Should_RejectAnAdjustedRisThatIsNotPositive(double ris)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            TrialSequentialAnalysis.Monitor([new LookInput("a", 1, 10, 0.1, 0.1, 0)], ris, 0.05, SpendingFunction.Pocock));

        Assert.Equal("risAdjusted", ex.ParamName);
    }

    [Fact]
    public void Analyze_Should_RejectAMeasureWithoutTsa_AndADesignOfTheOtherKind()
    {
        var trial = new StudyData("a", new Dictionary<string, double> { ["ai"] = 1, ["bi"] = 9, ["ci"] = 2, ["di"] = 8 });

        Assert.Equal("measure", Assert.ThrowsAny<ArgumentException>(() => TrialSequentialAnalysis.Analyze([trial], Measure.PETO, Binary())).ParamName);
        var continuous = new SequentialDesign(0.05, 0.2, None, SpendingFunction.Pocock, MeanDifference: 1, StandardDeviation: 2);
        Assert.Equal("pc", Assert.ThrowsAny<ArgumentException>(() => TrialSequentialAnalysis.Analyze([trial], Measure.RR, continuous)).ParamName);
        Assert.Equal("trials", Assert.ThrowsAny<ArgumentException>(() => TrialSequentialAnalysis.Analyze([], Measure.RR, Binary())).ParamName);
    }

    [Fact]
    public void Analyze_Should_KeepADoubleZeroTrial_InTheParticipantsAndTheModel()
    {
        var trials = new[]
        {
            new StudyData("a", new Dictionary<string, double> { ["ai"] = 5, ["bi"] = 95, ["ci"] = 10, ["di"] = 90 }),
            new StudyData("b", new Dictionary<string, double> { ["ai"] = 0, ["bi"] = 50, ["ci"] = 0, ["di"] = 50 }),
        };

        var result = TrialSequentialAnalysis.Analyze(trials, Measure.RR, Binary());

        Assert.Equal(300, result.Participants);
        Assert.Equal(100, TrialSequentialAnalysis.Participants(Measure.RR, trials[1]));
        Assert.Equal(2, result.Looks[1].K);
        // log RR of the corrected table (0.5/50.5)/(0.5/50.5) = 0 pulls the estimate towards 0.
        Assert.True(result.Looks[1].Estimate > result.Looks[0].Estimate);
    }
}
