using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Evidence.Domain.Bundles;
using Evidence.Domain.Snapshots;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Snapshots;

namespace Evidence.IntegrationTests.Bundles;

/// <summary>
/// A version stored without its per-study sections (more than <see cref="SnapshotRules.StoredStudyLimit"/>
/// trials): its bundle holds the full result computed on read, says so in the manifest, and R reproduces it.
/// </summary>
public sealed class LargeOutcomeBundleTests(SnapshotPipeline<LargeOutcomeBundleTests> pipeline) : IClassFixture<SnapshotPipeline<LargeOutcomeBundleTests>>
{
    [Fact]
    public async Task AVersionStoredWithoutItsStudies_Should_BundleTheComputedResult_AndSaySo()
    {
        const string review = "large-bundle";
        var trials = SnapshotRules.StoredStudyLimit + 1;
        var client = pipeline.Client;
        Assert.Equal(HttpStatusCode.Created, (await client.Post("/reviews", new { id = review, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.Post($"/reviews/{review}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "OR", method = "DL", subgroup = "disease" })).StatusCode);
        for (var n = 1; n <= trials; n++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.Post($"/reviews/{review}/trials", new
            {
                id = $"t{n:000}",
                year = 1990 + n % 30,
                source = "s",
                attributes = new { disease = n % 3 == 0 ? "SLE" : "RA" },
                data = new { response = new { ai = n % 5, bi = 20 + n % 11, ci = 4 + n % 13, di = 22 + n % 7 } },
            })).StatusCode);
        }
        await pipeline.WaitForVersionsAsync(review, "response", trials, TimeSpan.FromSeconds(120));

        var zip = await client.GetByteArrayAsync($"/reviews/{review}/outcomes/response/snapshots/{trials}/bundle.zip");
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        {
            using var manifest = JsonDocument.Parse(archive.GetEntry(AnalysisBundle.ManifestFile)!.Open());
            Assert.StartsWith("computed", manifest.RootElement.GetProperty("result").GetString(), StringComparison.Ordinal);
        }
        var (result, reproduced) = await RBundle.RunAsync(zip);
        Assert.Equal(trials, result.GetProperty("studies").GetArrayLength());
        Assert.Equal(trials, result.GetProperty("leave_one_out").GetArrayLength());
        var differences = JsonFields.Differences(result, reproduced, 1e-5, 1e-9);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }
}
