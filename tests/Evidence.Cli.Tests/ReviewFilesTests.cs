using Evidence.Cli.Common;
using Evidence.Cli.Importing;

namespace Evidence.Cli.Tests;

public class ReviewFilesTests
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    [Fact]
    public void Trials_Should_BeMergedPerTrial_InYearOrder_WithTheirSourcesAndNotes()
    {
        var trials = ReviewFiles.Trials(CsvTable.Read(Path.Combine(Samples, "trials.csv")));

        Assert.Equal(trials.Select(t => t.Year).Order(), trials.Select(t => t.Year));
        var he2020 = trials.Single(t => t.Id == "he2020-sle-rct");
        Assert.Equal(["fever", "injection-site", "ln-remission", "response"], he2020.Data.Keys.Order());
        Assert.Equal(16, he2020.Data["response"]["ai"]);
        Assert.Equal("SLE", he2020.Attributes["disease"]);
        Assert.Equal("counts derived from percentages", he2020.Attributes["derived-response"]);
        Assert.Contains("Table 3", he2020.Source, StringComparison.Ordinal);
        Assert.Equal(trials.Count, trials.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void Corrections_Should_GroupTheFieldsOfOneTrialAndReason()
    {
        var corrections = ReviewFiles.Corrections(CsvTable.Read(Path.Combine(Samples, "corrections.csv")));

        var lupil = Assert.Single(corrections);
        Assert.Equal("lupil2-2022", lupil.Trial);
        Assert.Equal(new Dictionary<string, double> { ["ai"] = 34, ["bi"] = 16, ["ci"] = 29, ["di"] = 21 }, lupil.Data["response"]);
        Assert.Equal(4, lupil.Expected.Count);
        Assert.Equal(20, lupil.Expected[0].Old);
    }

    [Fact]
    public void Outcomes_Should_CarryTheirAnalysisSettings()
    {
        var outcomes = ReviewFiles.Outcomes(CsvTable.Read(Path.Combine(Samples, "outcomes.csv")));

        Assert.Contains(outcomes, o => o is { Id: "treg", DataType: "prepost", Measure: "SMCR", Method: "REML", Test: "knha", Subgroup: "disease" });
    }
}
