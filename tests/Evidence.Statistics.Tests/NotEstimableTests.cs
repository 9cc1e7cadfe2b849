using Evidence.Statistics.Analyses;
using Evidence.Statistics.EffectSizes;

namespace Evidence.Statistics.Tests;

/// <summary>Valid data that give no estimate: a result that says why, never an exception.</summary>
public sealed class NotEstimableTests
{
    private static StudyData Table(string study, double ai, double bi, double ci, double di) =>
        new(study, new Dictionary<string, double> { ["ai"] = ai, ["bi"] = bi, ["ci"] = ci, ["di"] = di });

    private static readonly StudyData[] DoubleZero = [Table("a", 0, 10, 0, 12), Table("b", 0, 20, 0, 18), Table("c", 0, 5, 0, 7)];

    [Theory]
    [InlineData(Measure.OR, Method.MH)]
    [InlineData(Measure.RR, Method.MH)]
    [InlineData(Measure.RD, Method.MH)]
    [InlineData(Measure.PETO, Method.PETO)]
    public void CountMethod_Should_ReportQdfZeroAndWhy_WhenEveryTableIsDoubleZero(Measure measure, Method method)
    {
        var result = MetaAnalysis.Run(DoubleZero, new AnalysisSettings(measure, method));

        Assert.False(result.Estimable);
        Assert.Equal(["a", "b", "c"], result.NotEstimable!.Studies);
        Assert.Contains("No table has an event", result.NotEstimable.Reason);
        Assert.Equal(3, result.Overall!.K);
        Assert.Equal(0, result.Overall.QDf);
        Assert.Equal(0, result.Overall.Q);
        var json = AnalysisJson.ToJson(result);
        Assert.False(json["estimable"]!.GetValue<bool>());
        Assert.Equal(0, json["q_df"]!.GetValue<int>());
        Assert.Null(json["estimate"]);
        Assert.Equal(3, json["k"]!.GetValue<int>());
    }

    [Fact]
    public void Peto_Should_GiveNoEstimate_WhenEveryParticipantHadTheEvent()
    {
        var result = MetaAnalysis.Run([Table("a", 10, 0, 12, 0), Table("b", 0, 9, 0, 4)], new AnalysisSettings(Measure.PETO, Method.PETO));

        Assert.False(result.Estimable);
        Assert.Contains("both an event and a non-event", result.NotEstimable!.Reason);
    }

    [Fact]
    public void MhWithSomeInformativeTables_Should_StillPool_AndLeaveTheDoubleZeroOutOfQ()
    {
        var result = MetaAnalysis.Run([.. DoubleZero, Table("d", 4, 10, 2, 12), Table("e", 6, 14, 3, 17)], new AnalysisSettings(Measure.OR, Method.MH));

        Assert.True(result.Estimable);
        Assert.Equal(1, result.Overall!.QDf);
        Assert.Null(AnalysisJson.ToJson(result)["estimable"]);
    }

    [Fact]
    public void SmccWithAChangeSdOfZero_Should_NameTheStudy_AndGiveNoEstimate()
    {
        var flat = new StudyData("flat", new Dictionary<string, double>
        {
            ["m_pre"] = 5, ["sd_pre"] = 2, ["m_post"] = 6, ["sd_post"] = 2, ["ni"] = 20, ["ri"] = 1,
        });
        var fine = new StudyData("fine", new Dictionary<string, double>
        {
            ["m_pre"] = 5, ["sd_pre"] = 2, ["m_post"] = 7, ["sd_post"] = 3, ["ni"] = 30, ["ri"] = 0.5,
        });

        var result = MetaAnalysis.Run([fine, flat], new AnalysisSettings(Measure.SMCC, Method.REML));

        Assert.False(result.Estimable);
        Assert.Equal(["flat"], result.NotEstimable!.Studies);
        Assert.Equal(2, AnalysisJson.ToJson(result)["k"]!.GetValue<int>());
        Assert.Null(EffectSizeCalculator.Unusable(Measure.SMCC, flat));
    }

    [Fact]
    public void Unusable_Should_NameTheField_ForWhatTheMeasureCanNeverUse()
    {
        var zeroMean = new StudyData("t", new Dictionary<string, double>
        {
            ["m1i"] = 0, ["sd1i"] = 1, ["n1i"] = 10, ["m2i"] = 2, ["sd2i"] = 1, ["n2i"] = 10,
        });

        Assert.Equal("m1i", EffectSizeCalculator.Unusable(Measure.ROM, zeroMean)!.Field);
        Assert.Null(EffectSizeCalculator.Unusable(Measure.MD, zeroMean));
        Assert.Throws<EffectSizeException>(() => MetaAnalysis.Run([zeroMean], new AnalysisSettings(Measure.ROM, Method.REML)));
    }
}

/// <summary>Sampling variances far apart (1e-8 to 1e6): the Fisher scoring ends, where metafor 3.8-1 ends (tau² 0 after one iteration).</summary>
public sealed class ExtremeVarianceTests
{
    [Theory]
    [InlineData(Method.REML)]
    [InlineData(Method.ML)]
    [InlineData(Method.EB)]
    public void FisherScoring_Should_End_WithMetaforsEstimate(Method method)
    {
        StudyData Study(string id, double yi, double vi) => new(id, new Dictionary<string, double> { ["yi"] = yi, ["vi"] = vi });

        var result = MetaAnalysis.Run([Study("t3", 0.001, 1e-8), Study("t2", 0.001, 1), Study("t5", -3, 1e6)], new AnalysisSettings(Measure.GEN, method));

        Assert.Equal(0, result.Overall!.Tau2);
        Assert.Equal(1e-3, result.Overall.Estimate, 1e-9);
        Assert.Equal(1e-4, result.Overall.Se, 1e-9);
    }
}
