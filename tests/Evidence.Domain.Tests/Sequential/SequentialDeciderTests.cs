using Evidence.Domain.Reviews;
using Evidence.Domain.Sequential;

namespace Evidence.Domain.Tests.Sequential;

public class SequentialDeciderTests
{
    private static Review Review(string dataType = "binary", string measure = "RR") => Given.Review(Given.Outcome("response", dataType, measure));

    private static SetSequential Binary(long version = 2) =>
        new("response", version, 0.05, 0.2, "0.3", 0.25, null, null, "d2", "obf", "plan");

    private static string[] Fields(Action act) =>
        [.. Assert.Throws<ValidationFailedException>(act).Errors.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Set_Should_StoreTheParameters_InTheirOwnWords()
    {
        var e = SequentialDecider.Handle(Review(), Binary(), Given.By);

        Assert.Null(e.Previous);
        Assert.Equal(new SequentialSettings(0.05, 0.2, "D2", "OBF", 0.3, false, 0.25), e.Settings);
        Assert.Equal("plan", e.Provenance.Reason);
    }

    [Fact]
    public void Set_Should_AcceptAPooledControlRisk_AFraction_AndARelativeRiskIncrease()
    {
        var e = SequentialDecider.Handle(Review(), Binary() with { ControlRisk = "Pooled", Heterogeneity = "0.25", Spending = "POCOCK", RelativeRiskReduction = -0.5 }, Given.By);

        Assert.Equal(new SequentialSettings(0.05, 0.2, "0.25", "Pocock", null, true, -0.5), e.Settings);
    }

    [Fact]
    public void Set_Should_NameEveryBadField()
    {
        var bad = new SetSequential("response", 2, 0.6, 1, "1.2", 1, 3, 0, "D3", "linear", null);

        Assert.Equal(["alpha", "beta", "controlRisk", "heterogeneity", "meanDifference", "reason", "relativeRiskReduction", "spending", "standardDeviation"],
            Fields(() => SequentialDecider.Handle(Review(), bad, Given.By)));
    }

    [Fact]
    public void Set_Should_RefuseAlphaPlusBetaOfOne_AndAnExperimentalRiskOutsideTheUnitInterval()
    {
        Assert.Equal(["beta"], Fields(() => SequentialDecider.Handle(Review(), Binary() with { Alpha = 0.5, Beta = 0.5 }, Given.By)));
        Assert.Equal(["relativeRiskReduction"], Fields(() => SequentialDecider.Handle(Review(), Binary() with { ControlRisk = "0.8", RelativeRiskReduction = -0.5 }, Given.By)));
        Assert.Equal(["heterogeneity"], Fields(() => SequentialDecider.Handle(Review(), Binary() with { Heterogeneity = "1" }, Given.By)));
    }

    [Fact]
    public void Set_Should_NameTheMeasure_WhereTheAnalysisDoesNotSupportIt()
    {
        var errors = Assert.Throws<ValidationFailedException>(() => SequentialDecider.Handle(Review("continuous", "SMD"), Binary(), Given.By)).Errors;

        Assert.Contains("measure", errors.Keys);
        Assert.Contains("RR, OR, RD (binary) and MD (continuous)", errors["measure"][0]);
    }

    [Fact]
    public void Set_Should_NeedTheMeanDifferenceAndSd_ForMD()
    {
        var review = Review("continuous", "MD");

        Assert.Equal(["controlRisk", "meanDifference", "relativeRiskReduction", "standardDeviation"],
            Fields(() => SequentialDecider.Handle(review, Binary(), Given.By)));
        var e = SequentialDecider.Handle(review, Binary() with { ControlRisk = null, RelativeRiskReduction = null, MeanDifference = -2, StandardDeviation = 5 }, Given.By);
        Assert.Equal(-2, e.Settings!.MeanDifference);
    }

    [Fact]
    public void Set_Should_NeedTheReviewsVersion_AndRefuseNoChange()
    {
        Assert.Throws<VersionMismatchException>(() => SequentialDecider.Handle(Review(), Binary(version: 1), Given.By));
        var review = Review().Apply(SequentialDecider.Handle(Review(), Binary(), Given.By));

        Assert.Equal([""], Fields(() => SequentialDecider.Handle(review, Binary(version: 3), Given.By)));
    }

    [Fact]
    public void NoParameters_Should_ClearThem_AndClearingNothing_Should_BeRefused()
    {
        var clear = new SetSequential("response", 2, null, null, null, null, null, null, null, null, "not wanted");
        Assert.Equal([""], Fields(() => SequentialDecider.Handle(Review(), clear, Given.By)));

        var review = Review().Apply(SequentialDecider.Handle(Review(), Binary(), Given.By));
        var e = SequentialDecider.Handle(review, clear with { ExpectedVersion = 3 }, Given.By);
        Assert.Null(e.Settings);
        Assert.NotNull(e.Previous);
        Assert.Null(review.Apply(e).Outcomes["response"].Sequential);
    }

    [Fact]
    public void ChangeOfMeasure_Should_BeRefused_WhileTheParametersDoNotFitIt()
    {
        var review = Review().Apply(SequentialDecider.Handle(Review(), Binary(), Given.By));

        var refused = Assert.Throws<ValidationFailedException>(() =>
            ReviewDecider.Handle(review, new ChangeOutcomeAnalysis("response", "PETO", "PETO", null, null, null, "Peto"), Given.By));
        Assert.Contains("sequential", refused.Errors["measure"][0]);
        Assert.Equal("OR", ReviewDecider.Handle(review, new ChangeOutcomeAnalysis("response", "OR", null, null, null, null, "odds"), Given.By).Analysis.Measure);
    }
}
