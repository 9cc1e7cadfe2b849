using System.Text.Json;
using Evidence.Domain.Bundles;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;

namespace Evidence.IntegrationTests.Bundles;

/// <summary>
/// Data that give no estimate, and the smallest analyses: the bundle's script says so in
/// reproduced.json as result.json does (the same reason, the studies involved), or reproduces the
/// fit of a single study.
/// </summary>
public sealed class NotEstimableBundleTests
{
    private static Dictionary<string, double> Table(double ai, double bi, double ci, double di) => new() { ["ai"] = ai, ["bi"] = bi, ["ci"] = ci, ["di"] = di };

    private static Dictionary<string, double> PrePost(double sdPost, double ri) =>
        new() { ["m_pre"] = 5, ["sd_pre"] = 2, ["m_post"] = 6, ["sd_post"] = sdPost, ["ni"] = 20, ["ri"] = ri };

    public static TheoryData<string, string, string, string, Dictionary<string, double>[]> Cases() => new()
    {
        { "no study under MH", "OR", "MH", "z", [] },
        { "no study under REML", "SMCR", "REML", "knha", [] },
        { "MH without events", "OR", "MH", "z", [Table(0, 10, 0, 12), Table(0, 20, 0, 18)] },
        { "Peto with events only", "PETO", "PETO", "z", [Table(10, 0, 12, 0), Table(0, 9, 0, 4)] },
        { "SMCC with a change-score SD of zero", "SMCC", "REML", "knha", [PrePost(3, 0.5), PrePost(2, 1), PrePost(2.5, 0.4)] },
        { "one study", "SMCR", "REML", "knha", [PrePost(3, 0.5)] },
        { "two studies, one subgroup each", "RR", "REML", "knha", [Table(4, 10, 2, 12), Table(6, 14, 2, 18)] },
        { "two studies with equal effects under Knapp-Hartung", "RR", "REML", "knha", [Table(4, 10, 2, 12), Table(6, 14, 3, 17)] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ABundle_Should_SayWhatResultJsonSays(string name, string measure, string method, string test, Dictionary<string, double>[] rows)
    {
        var subgroup = name.Contains("subgroup", StringComparison.Ordinal) ? "arm" : null;
        var studies = rows.Select((r, i) => new BundleStudy($"s{i + 1}-é", 2000 + i, r, subgroup is null ? null : $"Sjögren-{i}")).ToList();
        var settings = new AnalysisSettings(MeasureCatalogue.ParseMeasure(measure).Measure, MeasureCatalogue.ParseMethod(method).Method,
            MeasureCatalogue.FindTest(test)!.Value, subgroup);
        var data = studies.Select(s => new StudyData(s.Study, s.Data, subgroup is null ? new Dictionary<string, string>() : new() { [subgroup] = s.Subgroup! })).ToList();
        var result = JsonSerializer.SerializeToElement(AnalysisJson.ToJson(MetaAnalysis.Run(data, settings)));

        var files = AnalysisBundle.Files(studies, new BundleSettings(measure, method, test, subgroup, "year", RowsInCumulativeOrder: true, []), result, [],
            new BundleOrigin("test", null, null, null, null, null, "computed"));
        var (stored, reproduced) = await RBundle.RunAsync(AnalysisBundle.Zip(files));

        var differences = JsonFields.Differences(stored, reproduced, 1e-5, 1e-9);
        Assert.True(differences.Count == 0, $"{name}:\n{string.Join("\n", differences)}");
    }
}
