using System.Globalization;
using System.Text.Json;
using Evidence.Domain.Bundles;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;
using Evidence.Statistics.Tests;

namespace Evidence.IntegrationTests.Bundles;

/// <summary>
/// Bundles built from the reference cases' data and settings, without a store (MH, Peto,
/// proportions with PFT, pre/post, subgroups, meta-regression, cumulative, leave-one-out): R's
/// metafor, running the bundle's analysis.R, reproduces every field of the engine's result within
/// the case's tolerance.
/// </summary>
public sealed class ReferenceBundleTests
{
    public static TheoryData<string> Cases() => new(ReferenceCases.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AReferenceCasesBundle_Should_ReproduceEveryFieldInR(string name)
    {
        var reference = ReferenceCases.Load(name);
        var settings = ReferenceCases.Settings(reference.GetProperty("settings"));
        var data = ReferenceCases.Dataset(reference.GetProperty("dataset").GetString()!);
        var result = JsonSerializer.SerializeToElement(AnalysisJson.ToJson(MetaAnalysis.Run(data, settings)));

        var files = AnalysisBundle.Files(Studies(data, settings), Bundle(settings), result, [],
            new BundleOrigin("test", null, null, null, null, null, "computed from the reference case's data set"));
        var (stored, reproduced) = await RBundle.RunAsync(AnalysisBundle.Zip(files));

        var tolerance = reference.GetProperty("tolerance");
        var differences = JsonFields.Differences(stored, reproduced, tolerance.GetProperty("relative").GetDouble(), tolerance.GetProperty("absolute").GetDouble());
        Assert.True(differences.Count == 0, $"{name}:\n{string.Join("\n", differences)}");
    }

    private static BundleSettings Bundle(AnalysisSettings s) => new(
        s.Measure.ToString(), s.Method.ToString(), MeasureCatalogue.Name(s.Test), s.Subgroup, s.Order, RowsInCumulativeOrder: false, s.Moderators ?? []);

    /// <summary>Each row as the bundle names it: the measure's columns, the year, the subgroup level, the order key and the moderators.</summary>
    private static List<BundleStudy> Studies(List<StudyData> data, AnalysisSettings s)
    {
        var columns = MeasureCatalogue.Of(s.Measure).Columns.Append("sei").ToHashSet();
        return data.Select(d => new BundleStudy(
            d.Study,
            d.Values.TryGetValue("year", out var year) ? (int)year : null,
            d.Values.Where(v => columns.Contains(v.Key)).ToDictionary(),
            s.Subgroup is { } subgroup ? d.Labels.GetValueOrDefault(subgroup) : null,
            s.Order is { } order ? d.Labels.GetValueOrDefault(order) : null,
            (s.Moderators ?? []).ToDictionary(m => m, m => double.Parse(d.Labels[m], CultureInfo.InvariantCulture)))).ToList();
    }
}
