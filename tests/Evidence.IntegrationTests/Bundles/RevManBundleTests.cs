extern alias cli;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using cli::Evidence.Cli.Importing;
using Evidence.Domain.Bundles;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Snapshots;

namespace Evidence.IntegrationTests.Bundles;

/// <summary>
/// Fleiss 1993 imported from its RevMan 5 file through the API (outcomes under the revman5 preset):
/// the bundle of every version names the preset in settings.json, and its analysis.R reproduces every
/// field of the version's result, so R alone gives back RevMan's stored estimate of outcome 1.1.
/// </summary>
public sealed class RevManBundleTests(SnapshotPipeline<RevManBundleTests> pipeline) : IClassFixture<SnapshotPipeline<RevManBundleTests>>
{
    [Fact]
    public async Task EveryVersionsBundleOfARevMan5Outcome_Should_ReproduceItsResultInR()
    {
        var source = ImportRevManCommand.Read(Path.Combine(AppContext.BaseDirectory, "RevMan", "Fleiss1993.rm5"));
        var output = new StringWriter();
        var (tally, _) = await ImportRevManCommand.ImportAsync(pipeline.Client, "fleiss-bundle", source, output, TextWriter.Null, TimeSpan.FromSeconds(120), default);
        Assert.False(tally.Failed, output.ToString());

        JsonElement? aspirin = null;
        foreach (var outcome in new[] { "c1-o1", "c1-o2" })
        {
            var versions = await (await pipeline.Client.GetAsync($"/reviews/fleiss-bundle/outcomes/{outcome}/snapshots")).Json();
            Assert.True(versions.GetArrayLength() > 0);
            foreach (var version in versions.EnumerateArray())
            {
                var number = version.GetProperty("version").GetInt64();
                var response = await pipeline.Client.GetAsync($"/reviews/fleiss-bundle/outcomes/{outcome}/snapshots/{number}/bundle.zip");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var zip = await response.Content.ReadAsByteArrayAsync();
                using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
                using (var settings = archive.GetEntry(AnalysisBundle.SettingsFile)!.Open())
                    Assert.Equal("revman5", JsonDocument.Parse(settings).RootElement.GetProperty("conventions").GetString());

                var (result, reproduced) = await RBundle.RunAsync(zip);
                var differences = JsonFields.Differences(result, reproduced, 1e-6, 1e-9);
                Assert.True(differences.Count == 0, $"{outcome} v{number}:\n{string.Join("\n", differences)}");
                if (outcome == "c1-o1")
                    aspirin = reproduced;
            }
        }

        // RevMan 5's stored MH odds ratio of outcome 1.1, from R alone.
        Assert.Equal(0.8968655609130709, aspirin!.Value.GetProperty("back_transformed").GetProperty("estimate").GetDouble(), 1e-12);
    }
}
