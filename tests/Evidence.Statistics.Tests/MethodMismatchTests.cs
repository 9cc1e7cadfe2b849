using Evidence.Statistics.Analyses;

namespace Evidence.Statistics.Tests;

/// <summary>Mantel-Haenszel and Peto pool only the measures of 2x2 tables they are defined for.</summary>
public class MethodMismatchTests
{
    [Theory]
    [InlineData(Measure.OR, Method.MH)]
    [InlineData(Measure.RR, Method.MH)]
    [InlineData(Measure.RD, Method.MH)]
    [InlineData(Measure.OR, Method.PETO)]
    [InlineData(Measure.PETO, Method.PETO)]
    [InlineData(Measure.SMD, Method.REML)]
    [InlineData(Measure.PLO, Method.FE)]
    public void Settings_Should_HaveNoMismatch_WhenTheMethodPoolsTheMeasure(Measure measure, Method method) =>
        Assert.Null(new AnalysisSettings(measure, method).MethodMismatch());

    [Theory]
    [InlineData(Measure.SMD, Method.MH, "MH pools OR, RR or RD from 2x2 tables, not SMD")]
    [InlineData(Measure.PLO, Method.MH, "MH pools OR, RR or RD from 2x2 tables, not PLO")]
    [InlineData(Measure.PETO, Method.MH, "MH pools OR, RR or RD from 2x2 tables, not PETO")]
    [InlineData(Measure.RR, Method.PETO, "PETO pools the odds ratio (OR or PETO) from 2x2 tables, not RR")]
    [InlineData(Measure.MD, Method.PETO, "PETO pools the odds ratio (OR or PETO) from 2x2 tables, not MD")]
    public void Run_Should_RefuseAMeasureTheMethodCannotPool_BeforeReadingAnyStudy(Measure measure, Method method, string message)
    {
        var study = new StudyData("s1", new Dictionary<string, double> { ["m1i"] = 10, ["sd1i"] = 2, ["n1i"] = 30, ["m2i"] = 9, ["sd2i"] = 2, ["n2i"] = 30 });

        var ex = Assert.Throws<ArgumentException>(() => MetaAnalysis.Run([study], new AnalysisSettings(measure, method)));

        Assert.Equal(message, ex.Message);
    }
}
