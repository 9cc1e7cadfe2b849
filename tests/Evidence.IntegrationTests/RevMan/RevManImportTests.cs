extern alias cli;
using System.Net.Http.Json;
using System.Text.Json;
using cli::Evidence.Cli.Importing;
using cli::Evidence.Cli.Importing.RevMan;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Snapshots;

namespace Evidence.IntegrationTests.RevMan;

/// <summary>
/// A RevMan review imported through the real API and worker: Fleiss 1993 as an rm5 file and as a
/// RevMan Web data package (GPL fixtures from the R package meta). Outcome 1.1 reproduces RevMan's
/// stored Mantel-Haenszel result under the revman5 conventions; a second import appends nothing; a
/// switch of preset is a version of its own.
/// </summary>
public sealed class RevManImportTests(SnapshotPipeline<RevManImportTests> pipeline) : IClassFixture<SnapshotPipeline<RevManImportTests>>
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "RevMan");

    [Theory]
    [InlineData("fleiss-rm5", "Fleiss1993.rm5")]
    [InlineData("fleiss-package", "921923100913455418-analysis-data")]
    public async Task ImportRevMan_Should_ReproduceTheStoredResult_AndAppendNothingTheSecondTime(string review, string file)
    {
        var source = ImportRevManCommand.Read(Path.Combine(Fixtures, file));
        var output = new StringWriter();

        var (tally, differences) = await ImportRevManCommand.ImportAsync(pipeline.Client, review, source, output, TextWriter.Null, TimeSpan.FromSeconds(120), default);

        Assert.False(tally.Failed, output.ToString());
        Assert.Empty(differences);
        Assert.Contains("1.1 (c1-o1): matches RevMan's stored result", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("1.2 (c1-o2): the file stores no pooled result", output.ToString(), StringComparison.Ordinal);
        var latest = await (await pipeline.Client.GetAsync($"/reviews/{review}/outcomes/c1-o1/snapshots/latest")).Json();
        Assert.Equal("revman5", latest.GetProperty("settings").GetProperty("conventions").GetString());
        var estimate = latest.GetProperty("result").GetProperty("back_transformed").GetProperty("estimate").GetDouble();
        Assert.Equal(0.8968655609130709, estimate, 1e-12);
        var versions = (await (await pipeline.Client.GetAsync($"/reviews/{review}/outcomes/c1-o1/snapshots")).Json()).GetArrayLength();
        var rebuild = await (await pipeline.Client.GetAsync($"/reviews/{review}/rebuild")).Json();
        Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());

        var (again, _) = await ImportRevManCommand.ImportAsync(pipeline.Client, review, source, new StringWriter(), TextWriter.Null, TimeSpan.FromSeconds(120), default);

        Assert.All(again.Results, r => Assert.Equal("already there", r.Result.Kind));
        Assert.Equal(versions, (await (await pipeline.Client.GetAsync($"/reviews/{review}/outcomes/c1-o1/snapshots")).Json()).GetArrayLength());
    }

    [Fact]
    public async Task SwitchingThePreset_Should_BeAnEventWhoseVersionShowsTheDifference()
    {
        var source = ImportRevManCommand.Read(Path.Combine(Fixtures, "Fleiss1993.rm5"));
        await ImportRevManCommand.ImportAsync(pipeline.Client, "fleiss-switch", source, new StringWriter(), TextWriter.Null, TimeSpan.FromSeconds(120), default);
        var before = (await (await pipeline.Client.GetAsync("/reviews/fleiss-switch/outcomes/c1-o1/snapshots")).Json()).GetArrayLength();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/reviews/fleiss-switch/outcomes/c1-o1/analysis")
        {
            Content = JsonContent.Create(new { conventions = "metafor", reason = "compare with metafor's conventions" }),
        };
        var changed = await pipeline.Client.SendAsync(request);
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        Assert.Equal("metafor", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conventions").GetString());
        var versions = await pipeline.WaitForVersionsAsync("fleiss-switch", "c1-o1", before + 1);

        var last = versions[versions.GetArrayLength() - 1];
        Assert.Equal("OutcomeAnalysisChanged", last.GetProperty("cause").GetProperty("type").GetString());
        var latest = await (await pipeline.Client.GetAsync("/reviews/fleiss-switch/outcomes/c1-o1/snapshots/latest")).Json();
        Assert.Equal("metafor", latest.GetProperty("settings").GetProperty("conventions").GetString());

        var bad = await pipeline.Client.PostAsJsonAsync("/reviews/fleiss-switch/outcomes/c1-o1/analysis", new { conventions = "cochrane", reason = "r" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("conventions", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Should_WriteADataPackageTheImporterReadsBack_AsOfADate()
    {
        var before = DateTimeOffset.UtcNow;
        var source = ImportRevManCommand.Read(Path.Combine(Fixtures, "Fleiss1993.rm5"));
        await ImportRevManCommand.ImportAsync(pipeline.Client, "fleiss-export", source, new StringWriter(), TextWriter.Null, TimeSpan.FromSeconds(120), default);

        var response = await pipeline.Client.GetAsync("/reviews/fleiss-export/export.zip");
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var package = DataPackage.Parse(DataPackage.Unzip(await response.Content.ReadAsByteArrayAsync()), "export.zip");

        Assert.Equal(["1.1", "1.2"], package.Outcomes.Select(o => o.Label));
        var aspirin = package.Outcomes[0];
        Assert.Equal(("DICH", "MH", "OR", false), (aspirin.Type, aspirin.Method, aspirin.Measure, aspirin.Random));
        Assert.Equal(7, aspirin.Rows.Count);
        var isis = aspirin.Rows.Single(r => r.Study == "isis-2");
        Assert.Equal((1988, 1570.0, 8587.0), (isis.Year, isis.Values["events1"], isis.Values["total1"]));
        Assert.Equal(0.896866, aspirin.Pooled!.Estimate);
        Assert.Equal((0.840514, 0.956995, 6), (aspirin.Pooled.CiLower, aspirin.Pooled.CiUpper, aspirin.Pooled.Df));
        var mental = package.Outcomes[1];
        Assert.Equal(("CONT", "SMD"), (mental.Type, mental.Measure));
        Assert.Equal(-0.343416, mental.Pooled!.Estimate);

        // The exported package imports as a review of its own and reproduces its own stored numbers.
        var (tally, differences) = await ImportRevManCommand.ImportAsync(pipeline.Client, "fleiss-reimport", package, new StringWriter(), TextWriter.Null, TimeSpan.FromSeconds(120), default);
        Assert.False(tally.Failed);
        Assert.Empty(differences);

        var earlier = await pipeline.Client.GetAsync($"/reviews/fleiss-export/export.zip?asOf={Uri.EscapeDataString(before.AddMinutes(-1).ToString("O"))}");
        Assert.Empty(DataPackage.Parse(DataPackage.Unzip(await earlier.Content.ReadAsByteArrayAsync()), "earlier.zip").Outcomes);
    }
}
