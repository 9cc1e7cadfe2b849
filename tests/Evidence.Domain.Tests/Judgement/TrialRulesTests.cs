using Evidence.Domain.Judgement;
using static Evidence.Domain.Tests.Judgement.Versions;

namespace Evidence.Domain.Tests.Judgement;

/// <summary>newTrialWeight and trialStatus, which read the event that made the version.</summary>
public class TrialRulesTests
{
    private static readonly SignalBasis Before = Basis(Ratio(1.5, 1.1, 2.0));
    private static readonly SignalBasis After = Basis(Ratio(1.5, 1.1, 2.0));

    [Fact]
    public void NewTrialWeight_Should_FireForATrialThatEnteredWithAQuarterOfTheWeightOrMore()
    {
        var rules = Only(SignalKinds.NewTrialWeight);

        var heavy = Assert.Single(Between(Before, After, rules, new CauseFacts("TrialRecorded", "t9", false, true, 25)));
        Assert.Equal("t9", heavy.TrialId);
        Assert.Equal("t9 entered the analysis with 25% of the weight, at least 25%", heavy.Text);
        Assert.Null(heavy.Before["weight"]);
        Assert.Equal(25, heavy.After["weight"]);
        Assert.Single(Between(Before, After, rules, new CauseFacts("TrialReinstated", "t9", false, true, 40)));
        Assert.Empty(Between(Before, After, rules, new CauseFacts("TrialRecorded", "t9", false, true, 24.9)));
    }

    [Fact]
    public void NewTrialWeight_Should_NotFire_ForATrialAlreadyInTheAnalysisOrNotInIt()
    {
        var rules = Only(SignalKinds.NewTrialWeight);

        Assert.Empty(Between(Before, After, rules, new CauseFacts("TrialCorrected", "t9", true, true, 60)));
        Assert.Empty(Between(Before, After, rules, new CauseFacts("TrialRecorded", "t9", false, false, null)));
        Assert.Empty(Between(Before, After, rules, new CauseFacts("TrialRecorded", "t9", false, true, null)));
        Assert.Empty(Between(Before, After, rules, new CauseFacts("OutcomeAnalysisChanged", null, false, false, null)));
    }

    [Fact]
    public void NewTrialWeight_Should_UseTheOutcomesShare()
    {
        var cause = new CauseFacts("TrialRecorded", "t9", false, true, 12);

        Assert.Empty(Between(Before, After, Only(SignalKinds.NewTrialWeight), cause));
        Assert.Equal("t9 entered the analysis with 12% of the weight, at least 10%",
            Assert.Single(Between(Before, After, Only(SignalKinds.NewTrialWeight, 0.1), cause)).Text);
    }

    [Theory]
    [InlineData("TrialRetracted", false, "t1, in the analysis, was retracted")]
    [InlineData("TrialExcluded", false, "t1, in the analysis, was excluded")]
    [InlineData("TrialCorrected", true, "t1, in the analysis, was corrected")]
    public void TrialStatus_Should_FireForATrialOfTheAnalysis(string type, bool isIncluded, string text)
    {
        var signal = Assert.Single(Between(Before, After, Only(SignalKinds.TrialStatus), new CauseFacts(type, "t1", true, isIncluded, isIncluded ? 30 : null)));

        Assert.Equal(SignalKinds.TrialStatus, signal.Kind);
        Assert.Equal("t1", signal.TrialId);
        Assert.Equal(text, signal.Text);
        Assert.Equal(isIncluded ? 30 : null, signal.After.GetValueOrDefault("weight"));
    }

    [Theory]
    [InlineData("TrialRetracted", false, false)] // was never in this outcome's analysis
    [InlineData("TrialExcluded", false, false)]
    [InlineData("TrialCorrected", false, true)] // the correction brought it in: newTrialWeight's case
    [InlineData("TrialCorrected", true, false)] // the correction took its data for this outcome away
    [InlineData("TrialRecorded", false, true)]
    [InlineData("TrialReinstated", false, true)]
    public void TrialStatus_Should_NotFire_OtherwiseThanForATrialThatLeftOrWasCorrectedInTheAnalysis(string type, bool wasIncluded, bool isIncluded)
    {
        Assert.Empty(Between(Before, After, Only(SignalKinds.TrialStatus), new CauseFacts(type, "t1", wasIncluded, isIncluded, null)));
    }

    [Fact]
    public void TrialRules_Should_Fire_WhenEitherVersionHasNoEstimate()
    {
        var retracted = new CauseFacts("TrialRetracted", "t1", true, false, null);
        var recorded = new CauseFacts("TrialRecorded", "t2", false, true, 50);

        Assert.Equal([SignalKinds.TrialStatus], Between(Before, Basis(NotEstimable), cause: retracted).Kinds());
        Assert.Equal([SignalKinds.NewTrialWeight], Between(Basis(NotEstimable), After, cause: recorded).Kinds());
    }
}
