extern alias cli;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using cli::Evidence.Cli.Common;
using cli::Evidence.Cli.Importing;
using Evidence.Domain.Bundles;
using Evidence.IntegrationTests.Snapshots;

namespace Evidence.IntegrationTests.Bundles;

/// <summary>
/// The LD-IL-2 sample review imported through the API and pooled by the worker: the bundle of every
/// version of every outcome, unzipped and run with Rscript, reproduces every field of the version's
/// result (the tolerance of <see cref="DemoReviewTests"/>), and its manifest and events describe it.
/// </summary>
public sealed class DemoBundleTests(SnapshotPipeline<DemoBundleTests> pipeline) : IClassFixture<SnapshotPipeline<DemoBundleTests>>
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples", "ld-il2");

    [Fact]
    public async Task EveryVersionsBundle_Should_ReproduceItsResultInR_AndDescribeItsOrigin()
    {
        var outcomes = ReviewFiles.Outcomes(CsvTable.Read(Path.Combine(Samples, "outcomes.csv")));
        var trials = ReviewFiles.Trials(CsvTable.Read(Path.Combine(Samples, "trials.csv")));
        var corrections = ReviewFiles.Corrections(CsvTable.Read(Path.Combine(Samples, "corrections.csv")));
        var thresholds = ReviewFiles.Thresholds(CsvTable.Read(Path.Combine(Samples, "thresholds.csv")));
        var import = await ImportCommand.ImportAsync(pipeline.Client, "ld-il2", "LD-IL-2", "q", outcomes, trials, corrections, TextWriter.Null, default, thresholds);
        Assert.DoesNotContain(import.Results, r => r.Result.Error is not null);

        var bundles = 0;
        foreach (var outcome in outcomes)
        {
            // One version per publication year (the import's batches) and one per correction.
            var count = trials.Where(t => t.Data.ContainsKey(outcome.Id)).Select(t => t.Year).Distinct().Count() + corrections.Count(c => c.Data.ContainsKey(outcome.Id));
            var versions = await pipeline.WaitForVersionsAsync("ld-il2", outcome.Id, count);
            foreach (var version in versions.EnumerateArray())
            {
                var number = version.GetProperty("version").GetInt64();
                var cause = version.GetProperty("cause");
                var response = await pipeline.Client.GetAsync($"/reviews/ld-il2/outcomes/{outcome.Id}/snapshots/{number}/bundle.zip");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
                var zip = await response.Content.ReadAsByteArrayAsync();

                var files = Unzip(zip);
                var manifest = JsonDocument.Parse(files[AnalysisBundle.ManifestFile]).RootElement;
                Assert.Equal(outcome.Id, manifest.GetProperty("outcome").GetString());
                Assert.Equal(number, manifest.GetProperty("version").GetInt64());
                Assert.Equal(cause.GetProperty("sequence").GetInt64(), manifest.GetProperty("cause").GetProperty("sequence").GetInt64());
                Assert.Equal(64, manifest.GetProperty("input_hash").GetString()!.Length);
                var hashed = manifest.GetProperty("files").EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetString());
                Assert.Equal(files.Keys.Where(f => f != AnalysisBundle.ManifestFile).Order(), hashed.Keys.Order());
                foreach (var (name, hash) in hashed)
                    Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[name])), hash);

                var events = System.Text.Encoding.UTF8.GetString(files[AnalysisBundle.EventsFile]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(line => JsonDocument.Parse(line).RootElement).ToList();
                Assert.Equal("OutcomeDefined", events[0].GetProperty("type").GetString());
                // A batch's version ends with the batch's last trial that has data for the outcome.
                var last = events[^1].GetProperty("sequence").GetInt64();
                if (cause.TryGetProperty("batch", out var batch))
                    Assert.InRange(last, batch.GetProperty("firstSequence").GetInt64(), cause.GetProperty("sequence").GetInt64());
                else
                    Assert.Equal(cause.GetProperty("sequence").GetInt64(), last);
                Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("who").GetString())));

                var (result, reproduced) = await RBundle.RunAsync(zip);
                var differences = JsonFields.Differences(result, reproduced, 1e-5, 1e-9);
                Assert.True(differences.Count == 0, $"{outcome.Id} v{number}:\n{string.Join("\n", differences)}");
                bundles++;
            }
        }
        Assert.Equal(outcomes.Sum(o => trials.Where(t => t.Data.ContainsKey(o.Id)).Select(t => t.Year).Distinct().Count()) + corrections.Sum(c => c.Data.Count), bundles);

        // The review is private: without a key its bundles answer as a missing review's would.
        await using var api = pipeline.StartApi(new Dictionary<string, string?>());
        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/reviews/ld-il2/outcomes/{outcomes[0].Id}/snapshots/1/bundle.zip")).StatusCode);
    }

    private static Dictionary<string, byte[]> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var content = new MemoryStream();
            using (var stream = e.Open())
                stream.CopyTo(content);
            return content.ToArray();
        });
    }
}
