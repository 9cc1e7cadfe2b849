using Evidence.Domain.Judgement;
using static Evidence.Domain.Tests.Judgement.Versions;

namespace Evidence.Domain.Tests.Judgement;

/// <summary>significance, direction, relativeChange and heterogeneity on hand-built histories.</summary>
public class EstimateRulesTests
{
    [Fact]
    public void Significance_Should_FireEachTimePCrossesAlpha_AndNotWhileItStaysOnOneSide()
    {
        var signals = Judge(Only(SignalKinds.Significance),
            Basis(Ratio(1.5, 1.1, 2.0, p: 0.2)), Basis(Ratio(1.5, 1.1, 2.0, p: 0.03)), Basis(Ratio(1.5, 1.1, 2.0, p: 0.01)), Basis(Ratio(1.5, 1.1, 2.0, p: 0.07)));

        Assert.Empty(signals[0]);
        var now = Assert.Single(signals[1]);
        Assert.Equal("now significant at 0.05: p 0.2 -> 0.03", now.Text);
        Assert.Equal(0.2, now.Before["p"]);
        Assert.Equal(0.03, now.After["p"]);
        Assert.Empty(signals[2]);
        Assert.StartsWith("no longer significant at 0.05", Assert.Single(signals[3]).Text);
    }

    [Fact]
    public void Significance_Should_UseTheOutcomesAlpha()
    {
        var before = Basis(Ratio(1.5, 1.1, 2.0, p: 0.03));
        var after = Basis(Ratio(1.5, 1.1, 2.0, p: 0.008));

        Assert.Empty(Between(before, after, Only(SignalKinds.Significance)));
        Assert.Equal("now significant at 0.01: p 0.03 -> 0.008", Assert.Single(Between(before, after, Only(SignalKinds.Significance, 0.01))).Text);
    }

    [Fact]
    public void Direction_Should_FireWhenTheEstimateCrossesTheNull_ButNotFromOrOntoIt()
    {
        var signals = Judge(Only(SignalKinds.Direction),
            Basis(Ratio(0.8, 0.6, 1.1)), Basis(Ratio(1.2, 0.9, 1.6)), Basis(Ratio(1.0, 0.8, 1.3)), Basis(Ratio(0.9, 0.7, 1.2)), Basis(Ratio(0.7, 0.5, 0.9)));

        var flipped = Assert.Single(signals[1]);
        Assert.Equal(SignalKinds.Direction, flipped.Kind);
        Assert.Equal("null", flipped.Threshold);
        Assert.Equal(0.8, flipped.Before["estimate"]);
        Assert.Equal(1.2, flipped.After["estimate"]);
        Assert.Equal(1, flipped.After["threshold"]);
        Assert.Empty(signals[2]);
        Assert.Empty(signals[3]);
        Assert.Empty(signals[4]);
    }

    [Fact]
    public void Direction_Should_ReadADifferenceAgainstZero()
    {
        var zero = new DecisionThresholds(Null: 0);

        var flipped = Between(Basis(Difference(-1.5, -3, 0.2), zero), Basis(Difference(0.4, -1, 1.8), zero), Only(SignalKinds.Direction));

        Assert.Equal("the estimate moved to the other side of the null (0): -1.5 -> 0.4", Assert.Single(flipped).Text);
    }

    [Fact]
    public void Direction_Should_NotFire_WhenTheOutcomeHasNoNull()
    {
        var none = DecisionThresholds.None;

        Assert.Empty(Between(Basis(Ratio(0.2, 0.1, 0.3), none), Basis(Ratio(1.8, 1.7, 1.9), none), Only(SignalKinds.Direction)));
    }

    [Fact]
    public void RelativeChange_Should_FireAtHalfTheOldEstimateOnTheAnalysisScale_AndNotBelow()
    {
        // log RR 0.5 -> 0.75 is a change of exactly 50%; 0.75 -> 1.0 of 33%.
        var signals = Judge(Only(SignalKinds.RelativeChange),
            Basis(Ratio(1.65, 1.2, 2.2) with { Estimate = 0.5 }), Basis(Ratio(2.12, 1.5, 2.9) with { Estimate = 0.75 }),
            Basis(Ratio(2.72, 1.9, 3.6) with { Estimate = 1.0 }));

        var moved = Assert.Single(signals[1]);
        Assert.Equal("the estimate changed by 50% on the analysis scale (0.5 -> 0.75), at least 50%", moved.Text);
        Assert.Equal(1.65, moved.Before["estimate"]);
        Assert.Equal(2.12, moved.After["estimate"]);
        Assert.Empty(signals[2]);
    }

    [Fact]
    public void RelativeChange_Should_FireFromZeroToAnythingElse_AndNotFromZeroToZero()
    {
        var zero = new DecisionThresholds(Null: 0);
        var signals = Judge(Only(SignalKinds.RelativeChange),
            Basis(Difference(0, -1, 1), zero), Basis(Difference(0, -1, 1), zero), Basis(Difference(0.01, -1, 1), zero));

        Assert.Empty(signals[1]);
        Assert.StartsWith("the estimate changed from 0", Assert.Single(signals[2]).Text);
    }

    [Fact]
    public void RelativeChange_Should_UseTheOutcomesValue()
    {
        var zero = new DecisionThresholds(Null: 0);
        var before = Basis(Difference(2, 1, 3), zero);
        var after = Basis(Difference(2.5, 1.5, 3.5), zero);

        Assert.Empty(Between(before, after, Only(SignalKinds.RelativeChange)));
        Assert.Single(Between(before, after, Only(SignalKinds.RelativeChange, 0.25)));
        Assert.Empty(Between(before, after, Only(SignalKinds.RelativeChange, 0.26)));
    }

    [Theory]
    [InlineData(35, 55, false)] // both in 30-60
    [InlineData(20, 55, true)] // {0-40} -> {30-60, 50-90}
    [InlineData(55, 80, false)] // both in 50-90
    [InlineData(45, 80, true)] // {30-60} -> {50-90, 75-100}
    [InlineData(40, 30, false)] // both ends included: 40 and 30 both in 0-40 and 30-60
    [InlineData(40, 50, false)] // 40 and 50 both in 30-60
    [InlineData(29.9, 60.1, true)] // {0-40} -> {50-90}
    [InlineData(90, 74.9, false)] // both in 50-90
    [InlineData(0, 100, true)]
    public void Heterogeneity_Should_FireOnlyWhenTheNewBandsShareNoneWithTheOld_WithCochranesOverlappingBands(double before, double after, bool fires)
    {
        var signals = Between(Basis(Ratio(1.5, 1.1, 2.0, i2: before)), Basis(Ratio(1.5, 1.1, 2.0, i2: after)), Only(SignalKinds.Heterogeneity));

        Assert.Equal(fires, signals.Count == 1);
    }

    [Fact]
    public void Heterogeneity_Should_NameTheBandsAndGiveI2()
    {
        var moved = Assert.Single(Between(Basis(Ratio(1.5, 1.1, 2.0, i2: 20)), Basis(Ratio(1.5, 1.1, 2.0, i2: 55)), Only(SignalKinds.Heterogeneity)));

        Assert.Equal("I² moved from 20% (0-40%: might not be important) to 55% "
            + "(30-60%: may represent moderate heterogeneity; 50-90%: may represent substantial heterogeneity)", moved.Text);
        Assert.Equal(20, moved.Before["i2"]);
        Assert.Equal(55, moved.After["i2"]);
    }

    [Fact]
    public void Heterogeneity_Should_UseTheOutcomesBands_AndNotFireBetweenTwoGaps()
    {
        IReadOnlyList<I2Band> bands = [new(0, 25, "low"), new(50, 100, "high")];
        var rules = Only(SignalKinds.Heterogeneity, bands: bands);

        var signals = Judge(rules,
            Basis(Ratio(1.5, 1.1, 2.0, i2: 20)), Basis(Ratio(1.5, 1.1, 2.0, i2: 35)), Basis(Ratio(1.5, 1.1, 2.0, i2: 45)),
            Basis(Ratio(1.5, 1.1, 2.0, i2: 55)), Basis(Ratio(1.5, 1.1, 2.0, i2: 10)));

        Assert.Equal("I² moved from 20% (0-25%: low) to 35% (no band)", Assert.Single(signals[1]).Text);
        Assert.Empty(signals[2]);
        Assert.Single(signals[3]);
        Assert.Equal("I² moved from 55% (50-100%: high) to 10% (0-25%: low)", Assert.Single(signals[4]).Text);
    }

    [Fact]
    public void Heterogeneity_Should_NotFire_WhenI2IsMissingOnEitherSide()
    {
        Assert.Empty(Between(Basis(Ratio(1.5, 1.1, 2.0, i2: null)), Basis(Ratio(1.5, 1.1, 2.0, i2: 90)), Only(SignalKinds.Heterogeneity)));
    }
}
