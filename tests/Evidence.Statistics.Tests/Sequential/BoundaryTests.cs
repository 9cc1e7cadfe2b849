using Evidence.Statistics.Sequential;

namespace Evidence.Statistics.Tests.Sequential;

/// <summary>Boundaries against published values, and the rules of spending and look types.</summary>
public class BoundaryTests
{
    private static readonly double[] FiveLooks = [0.2, 0.4, 0.6, 0.8, 1.0];

    [Fact]
    public void OBrienFleming_Should_GiveThePublishedBoundaries_AtFiveEqualLooks()
    {
        var set = TrialSequentialAnalysis.Boundaries(FiveLooks, 0.05, SpendingFunction.OBrienFleming);

        // Jennison and Turnbull (2000); gsDesign sfLDOF, test.type = 2: to three decimals as published,
        // and to the reference's nine decimals within 5e-8 (its tolerance is 1e-5 relative).
        double[] published = [4.877, 3.357, 2.680, 2.290, 2.031];
        double[] reference = [4.876884949, 3.357011922, 2.680280065, 2.289816768, 2.031032043];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(published[i], set.Boundaries[i]!.Value, 0.0005);
            Assert.Equal(reference[i], set.Boundaries[i]!.Value, 5e-8);
        }
    }

    [Fact]
    public void Pocock_Should_GiveTheReferenceBoundaries_AtFiveEqualLooks()
    {
        var set = TrialSequentialAnalysis.Boundaries(FiveLooks, 0.05, SpendingFunction.Pocock);

        double[] reference = [2.437976688, 2.426813858, 2.410193840, 2.396645401, 2.385984572];
        for (var i = 0; i < 5; i++)
            Assert.Equal(reference[i], set.Boundaries[i]!.Value, 5e-8);
    }

    public static TheoryData<double[], SpendingFunction> Schedules => new()
    {
        { [0.2, 0.4, 0.6, 0.8, 1.0], SpendingFunction.OBrienFleming },
        { [0.2, 0.4, 0.6, 0.8, 1.0], SpendingFunction.Pocock },
        { Enumerable.Range(12, 89).Select(i => i / 100.0).ToArray(), SpendingFunction.OBrienFleming },
        { [0.5, 0.995, 1 + 1e-12], SpendingFunction.OBrienFleming },
        { [0.2, 0.9, 5], SpendingFunction.Pocock },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Boundaries_Should_NotMove_WhenTheGridIsRefined(double[] t, SpendingFunction spending)
    {
        var spent = t.Select(x => AlphaSpending.Spent(spending, 0.05, x)).ToList();

        var coarse = BoundaryRecursion.Solve(t, spent);
        var fine = BoundaryRecursion.Solve(t, spent, BoundaryRecursion.MaxStep / 5, BoundaryRecursion.PointsPerSd * 5);

        for (var i = 0; i < t.Length; i++)
            Assert.Equal(fine[i], coarse[i], 2e-8 * fine[i]);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.01)]
    public void FinalLookAlone_Should_HaveTheConventionalBoundary(double alpha)
    {
        var set = TrialSequentialAnalysis.Boundaries([0.001, 1.3], alpha, SpendingFunction.OBrienFleming);

        Assert.Equal([LookType.None, LookType.Final], set.LookTypes);
        Assert.Null(set.Boundaries[0]);
        Assert.Equal(MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - alpha / 2), set.Boundaries[1]!.Value, 1e-12);
        Assert.Equal(alpha, set.AlphaSpent[1]);
    }

    [Fact]
    public void FinalLookJustPastTheLastInterim_Should_SpendWhatIsLeft()
    {
        // A final look is monitored however small its step; its boundary lies just above the last
        // interim one, since almost nothing is left to spend and the two looks are almost one.
        var set = TrialSequentialAnalysis.Boundaries([0.5, 0.999, 1.000001], 0.05, SpendingFunction.OBrienFleming);

        Assert.Equal([LookType.Interim, LookType.Interim, LookType.Final], set.LookTypes);
        Assert.InRange(set.Boundaries[2]!.Value, set.Boundaries[1]!.Value, set.Boundaries[1]!.Value + 0.2);
    }

    [Fact]
    public void FallingInformation_Should_BeNone_AndAlphaSpentShouldNotFall()
    {
        double[] t = [0.3, 0.6, 0.5, 0.605, 0.65, 1.1, 0.9];

        var set = TrialSequentialAnalysis.Boundaries(t, 0.05, SpendingFunction.OBrienFleming);

        Assert.Equal(
            [LookType.Interim, LookType.Interim, LookType.None, LookType.None, LookType.Interim, LookType.Final, LookType.PostFinal],
            set.LookTypes);
        double A(double x) => AlphaSpending.Spent(SpendingFunction.OBrienFleming, 0.05, x);
        Assert.Equal([A(0.3), A(0.6), A(0.6), A(0.605), A(0.65), 0.05, 0.05], set.AlphaSpent);
        for (var j = 1; j < t.Length; j++)
            Assert.True(set.AlphaSpent[j] >= set.AlphaSpent[j - 1]);

        // The monitored looks are those of the same data without the looks that fell: the look at
        // 0.65 spends a*(0.65) - a*(0.6), whatever fell in between.
        var monotone = TrialSequentialAnalysis.Boundaries([0.3, 0.6, 0.65, 1.1], 0.05, SpendingFunction.OBrienFleming);
        Assert.Equal(monotone.Boundaries[2], set.Boundaries[4]);
        Assert.Equal(monotone.Boundaries[3], set.Boundaries[5]);
        Assert.Null(set.Boundaries[2]);
        Assert.Null(set.Boundaries[3]);
        Assert.Equal(set.Boundaries[5], set.Boundaries[6]);
    }

    [Fact]
    public void Monitor_Should_NotCrossOrBoundALookWhoseInformationFell()
    {
        LookInput Look(string label, double participants, double z) => new(label, 1, participants, z, 1, 0);
        var looks = new[] { Look("v1", 300, 1), Look("v2", 600, 2), Look("v3", 500, 9), Look("v4", 700, 3.1) };

        var monitored = TrialSequentialAnalysis.Monitor(looks, 1000, 0.05, SpendingFunction.OBrienFleming);

        Assert.Equal([LookType.Interim, LookType.Interim, LookType.None, LookType.Interim], monitored.Select(l => l.LookType));
        Assert.False(monitored[2].Crossed);
        Assert.Null(monitored[2].CiLower);
        Assert.Equal(monitored[1].AlphaSpent, monitored[2].AlphaSpent);
        Assert.Equal(0.5, monitored[2].T, 1e-15);
        Assert.True(monitored[3].Crossed);
        Assert.Equal(3.1 - monitored[3].Boundary!.Value, monitored[3].CiLower!.Value, 1e-12);
    }

    [Fact]
    public void Spending_Should_ReachAlphaAtTheRis_AndStayThere()
    {
        foreach (var spending in new[] { SpendingFunction.OBrienFleming, SpendingFunction.Pocock })
        {
            Assert.Equal(0, AlphaSpending.Spent(spending, 0.05, 0));
            Assert.Equal(0.05, AlphaSpending.Spent(spending, 0.05, 1), 1e-15);
            Assert.Equal(0.05, AlphaSpending.Spent(spending, 0.05, 3));
            Assert.True(AlphaSpending.Spent(spending, 0.05, 0.5) < AlphaSpending.Spent(spending, 0.05, 0.6));
        }
    }

    [Fact]
    public void Spending_Should_KeepItsRelativePrecision_FarInTheTail()
    {
        // a*(t) = 4 Φ(-z/√t) with z = Φ⁻¹(1 - 0.0125): at t = 0.01 about 1e-97, which 1 - Φ would make 0.
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - 0.0125);
        var expected = 2 * MathNet.Numerics.SpecialFunctions.Erfc(z / Math.Sqrt(2 * 0.01));

        Assert.Equal(expected, AlphaSpending.Spent(SpendingFunction.OBrienFleming, 0.05, 0.01), expected * 1e-9);
        Assert.True(expected > 0);
    }
}
