using System.Text.Json;
using Evidence.Statistics.Analyses;

namespace Evidence.Statistics.Tests;

/// <summary>A stored result read back typed and written again is the same JSON, for every reference case and every kind of result.</summary>
public class AnalysisJsonReaderTests
{
    public static TheoryData<string> Cases => new(ReferenceCases.Names());

    private static void AssertRoundTrip(AnalysisResult result)
    {
        var written = AnalysisJson.Serialize(result);

        var read = AnalysisJsonReader.Read(JsonDocument.Parse(written).RootElement, result.Settings);

        Assert.Equal(written, AnalysisJson.Serialize(read));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReferenceCase_Should_ReadBackToTheSameJson(string name)
    {
        var reference = ReferenceCases.Load(name);
        var settings = ReferenceCases.Settings(reference.GetProperty("settings"));
        AssertRoundTrip(MetaAnalysis.Run(ReferenceCases.Dataset(reference.GetProperty("dataset").GetString()!), settings));
        AssertRoundTrip(MetaAnalysis.Run(ReferenceCases.Dataset(reference.GetProperty("dataset").GetString()!), settings with { Order = null }));
    }

    [Fact]
    public void ResultsWithoutAnEstimate_Should_ReadBackToTheSameJson()
    {
        var table = new StudyData("a", new Dictionary<string, double> { ["ai"] = 0, ["bi"] = 10, ["ci"] = 0, ["di"] = 12 });
        AssertRoundTrip(MetaAnalysis.Run([table], new AnalysisSettings(Measure.OR, Method.MH)));
        AssertRoundTrip(MetaAnalysis.Run([], new AnalysisSettings(Measure.OR, Method.REML)));
        var flat = new StudyData("flat", new Dictionary<string, double> { ["m_pre"] = 5, ["sd_pre"] = 2, ["m_post"] = 6, ["sd_post"] = 2, ["ni"] = 20, ["ri"] = 1 });
        AssertRoundTrip(MetaAnalysis.Run([flat], new AnalysisSettings(Measure.SMCC, Method.REML)));
    }

    [Fact]
    public void AResultWithoutSensitivityAnalyses_Should_ReadBackToTheSameJson()
    {
        var reference = ReferenceCases.Load("bcg-rr-reml-knha-by-alloc");
        var settings = ReferenceCases.Settings(reference.GetProperty("settings")) with { Sensitivity = false };
        AssertRoundTrip(MetaAnalysis.Run(ReferenceCases.Dataset(reference.GetProperty("dataset").GetString()!), settings));
    }
}
