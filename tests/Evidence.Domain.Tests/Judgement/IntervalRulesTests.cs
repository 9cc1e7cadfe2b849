using Evidence.Domain.Judgement;
using Evidence.Domain.Snapshots;
using static Evidence.Domain.Tests.Judgement.Versions;

namespace Evidence.Domain.Tests.Judgement;

/// <summary>ciNull, piNull, ciThreshold, piThreshold and estimateThreshold on hand-built histories.</summary>
public class IntervalRulesTests
{
    private static readonly DecisionThresholds Lines = new(Null: 1, Lower: 0.8, Upper: 1.25);

    [Fact]
    public void CiNull_Should_FireWhenTheCiNewlyIncludesTheNull_AndWhenItNoLongerDoes()
    {
        var signals = Judge(Only(SignalKinds.CiNull),
            Basis(Ratio(1.6, 1.1, 2.3)), Basis(Ratio(1.4, 1.0, 1.9)), Basis(Ratio(1.3, 0.9, 1.8)), Basis(Ratio(1.5, 1.05, 2.1)));

        var includes = Assert.Single(signals[1]);
        Assert.Equal("the CI now includes the null (1): 1.1 to 2.3 -> 1 to 1.9", includes.Text);
        Assert.Equal("null", includes.Threshold);
        Assert.Equal(1.1, includes.Before["ciLower"]);
        Assert.Equal(2.3, includes.Before["ciUpper"]);
        Assert.Equal(1.0, includes.After["ciLower"]);
        Assert.Equal(1.9, includes.After["ciUpper"]);
        Assert.Equal(1, includes.After["threshold"]);
        Assert.Empty(signals[2]);
        Assert.Equal("the CI no longer includes the null (1): 0.9 to 1.8 -> 1.05 to 2.1", Assert.Single(signals[3]).Text);
    }

    [Fact]
    public void CiNull_Should_ReadTheNaturalScale_AndNotFireWithoutANull()
    {
        // A logit proportion's natural scale is a proportion; it has no null until one is set.
        var before = new SnapshotSummary(4, -0.5, -0.9, -0.1, 0.02, 0.1, 30, null, null, 0.38, 0.29, 0.48);
        var after = new SnapshotSummary(5, -0.3, -0.7, 0.1, 0.1, 0.1, 30, null, null, 0.43, 0.33, 0.52);

        Assert.Empty(Between(Basis(before, DecisionThresholds.None), Basis(after, DecisionThresholds.None), Only(SignalKinds.CiNull)));
        var half = new DecisionThresholds(Null: 0.5);
        Assert.Equal("the CI now includes the null (0.5): 0.29 to 0.48 -> 0.33 to 0.52",
            Assert.Single(Between(Basis(before, half), Basis(after, half), Only(SignalKinds.CiNull))).Text);
    }

    [Fact]
    public void PiNull_Should_FireOnThePredictionInterval_AndNotWhenEitherSideHasNone()
    {
        var rules = Only(SignalKinds.PiNull);
        var narrow = Basis(Ratio(1.6, 1.3, 2.0, piLower: 1.1, piUpper: 2.4));
        var wide = Basis(Ratio(1.6, 1.3, 2.0, piLower: 0.7, piUpper: 3.5));

        var includes = Assert.Single(Between(narrow, wide, rules));
        Assert.Equal("the prediction interval now includes the null (1): 1.1 to 2.4 -> 0.7 to 3.5", includes.Text);
        Assert.Equal(1.1, includes.Before["piLower"]);
        Assert.Equal(3.5, includes.After["piUpper"]);
        Assert.Single(Between(wide, narrow, rules));
        // k = 1, or a fixed-effect model: no prediction interval.
        Assert.Empty(Between(Basis(Ratio(1.6, 1.3, 2.0)), wide, rules));
        Assert.Empty(Between(narrow, Basis(Ratio(1.6, 1.3, 2.0)), rules));
    }

    [Fact]
    public void CiThreshold_Should_FirePerLine_NamingIt()
    {
        var signals = Judge(Only(SignalKinds.CiThreshold),
            Basis(Ratio(1.6, 1.3, 2.0), Lines), Basis(Ratio(1.3, 1.1, 1.6), Lines), Basis(Ratio(0.95, 0.7, 1.2), Lines));

        var upper = Assert.Single(signals[1]);
        Assert.Equal("upper", upper.Threshold);
        Assert.Equal("the CI now includes the upper threshold (1.25): 1.3 to 2 -> 1.1 to 1.6", upper.Text);
        Assert.Equal(1.25, upper.Before["threshold"]);
        Assert.Equal(["lower", "upper"], signals[2].Select(s => s.Threshold));
        Assert.StartsWith("the CI now includes the lower threshold", signals[2][0].Text);
        Assert.StartsWith("the CI no longer includes the upper threshold", signals[2][1].Text);
    }

    [Fact]
    public void PiThreshold_Should_FirePerLine()
    {
        var signals = Between(
            Basis(Ratio(1.0, 0.9, 1.1, piLower: 0.85, piUpper: 1.2), Lines), Basis(Ratio(1.0, 0.9, 1.1, piLower: 0.75, piUpper: 1.2), Lines),
            Only(SignalKinds.PiThreshold));

        var lower = Assert.Single(signals);
        Assert.Equal(SignalKinds.PiThreshold, lower.Kind);
        Assert.Equal("lower", lower.Threshold);
        Assert.Equal(0.75, lower.After["piLower"]);
    }

    [Fact]
    public void IntervalThresholds_Should_FireOnANewlySetLine_OnlyWhereTheVersionsLieDifferentlyToIt()
    {
        var rules = Only(SignalKinds.CiThreshold);
        var before = Basis(Ratio(1.6, 1.3, 2.0), RatioNull);

        // The new version's CI includes 1.25 and the old one's did not: a change the new line shows.
        var crossed = Assert.Single(Between(before, Basis(Ratio(1.5, 1.2, 1.9), Lines), rules));
        Assert.Equal("upper", crossed.Threshold);
        Assert.Equal(1.25, crossed.Before["threshold"]);
        // Setting the line alone (same estimate) and a move that stays on its side: nothing changed relative to it.
        Assert.Empty(Between(before, Basis(Ratio(1.6, 1.3, 2.0), Lines), rules));
        Assert.Empty(Between(before, Basis(Ratio(1.7, 1.4, 2.2), Lines), rules));
    }

    [Fact]
    public void IntervalThresholds_Should_JudgeEachVersionAgainstItsOwnLine_AndNotARemovedOne()
    {
        var rules = Only(SignalKinds.CiThreshold);
        var ci = Ratio(1.6, 1.3, 2.0);

        // The same CI, the upper line moved from 1.25 into it: the CI now includes the decision threshold.
        var moved = Assert.Single(Between(Basis(ci, Lines), Basis(ci, Lines with { Upper = 1.5 }), rules));
        Assert.Equal(1.25, moved.Before["threshold"]);
        Assert.Equal(1.5, moved.After["threshold"]);
        Assert.Empty(Between(Basis(Ratio(1.1, 0.9, 1.3), Lines), Basis(ci, RatioNull), rules));
    }

    [Fact]
    public void EstimateThreshold_Should_FireWhenTheEstimateCrossesALine_ButNotFromOrOntoIt()
    {
        var signals = Judge(Only(SignalKinds.EstimateThreshold),
            Basis(Ratio(1.1, 0.9, 1.3), Lines), Basis(Ratio(1.4, 1.1, 1.8), Lines), Basis(Ratio(1.25, 1.0, 1.6), Lines),
            Basis(Ratio(1.1, 0.9, 1.3), Lines), Basis(Ratio(0.7, 0.5, 0.9), Lines));

        var above = Assert.Single(signals[1]);
        Assert.Equal("upper", above.Threshold);
        Assert.Equal("the estimate moved to the upper side of the upper threshold (1.25): 1.1 -> 1.4", above.Text);
        Assert.Equal(1.1, above.Before["estimate"]);
        Assert.Equal(1.4, above.After["estimate"]);
        Assert.Empty(signals[2]);
        Assert.Empty(signals[3]);
        Assert.Equal("the estimate moved to the lower side of the lower threshold (0.8): 1.1 -> 0.7", Assert.Single(signals[4]).Text);
    }

    [Fact]
    public void EstimateThreshold_Should_NotFire_WithoutDecisionThresholds()
    {
        Assert.Empty(Between(Basis(Ratio(1.1, 0.9, 1.3)), Basis(Ratio(2.4, 1.8, 3.2)), Only(SignalKinds.EstimateThreshold)));
    }
}
