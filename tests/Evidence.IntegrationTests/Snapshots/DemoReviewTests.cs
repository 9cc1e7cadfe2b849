extern alias cli;
using System.Text.Json;
using System.Text.RegularExpressions;
using cli::Evidence.Cli.Common;
using cli::Evidence.Cli.Importing;
using cli::Evidence.Cli.Reporting;
using Evidence.IntegrationTests.Api;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// The LD-IL-2 sample review end to end: imported through the API one batch per year, corrected, and
/// pooled by the worker; the last snapshot of every outcome must equal R metafor's numbers, and the
/// report prints each outcome's history, the correction's signals and share of the move, and saves its plots and bundles.
/// </summary>
public sealed class DemoReviewTests(SnapshotPipeline<DemoReviewTests> pipeline) : IClassFixture<SnapshotPipeline<DemoReviewTests>>
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples", "ld-il2");

    private static readonly string[] Fields =
        ["estimate", "se", "ci_lower", "ci_upper", "statistic", "df", "p", "tau2", "i2", "h2", "q", "q_df", "q_p", "pi_lower", "pi_upper"];

    [Fact]
    public async Task TheDemo_Should_MatchMetafor_NameTheCorrectionAsCause_RebuildIdentically_AndImportOnlyOnce()
    {
        var outcomes = ReviewFiles.Outcomes(CsvTable.Read(Path.Combine(Samples, "outcomes.csv")));
        var trials = ReviewFiles.Trials(CsvTable.Read(Path.Combine(Samples, "trials.csv")));
        var corrections = ReviewFiles.Corrections(CsvTable.Read(Path.Combine(Samples, "corrections.csv")));
        var thresholds = ReviewFiles.Thresholds(CsvTable.Read(Path.Combine(Samples, "thresholds.csv")));
        var sequential = ReviewFiles.Sequential(CsvTable.Read(Path.Combine(Samples, "sequential.csv")));
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Samples, "metafor-final.json")));

        var first = await ImportCommand.ImportAsync(pipeline.Client, "ld-il2", "LD-IL-2", "q", outcomes, trials, corrections, TextWriter.Null, default, thresholds, sequential);
        Assert.DoesNotContain(first.Results, r => r.Result.Error is not null);

        foreach (var outcome in outcomes)
        {
            // One version per year with data for the outcome (the import's batches), then one per correction.
            var years = trials.Where(t => t.Data.ContainsKey(outcome.Id)).Select(t => t.Year).Distinct().Count();
            var corrected = corrections.Count(c => c.Data.ContainsKey(outcome.Id));
            var versions = await pipeline.WaitForVersionsAsync("ld-il2", outcome.Id, years + corrected);
            Assert.Equal(years + corrected, versions.GetArrayLength());
            Assert.All(versions.EnumerateArray().Take(years), v => Assert.Equal("TrialsRecorded", v.GetProperty("cause").GetProperty("type").GetString()));
            if (corrected > 0)
                Assert.Equal("TrialCorrected", versions[versions.GetArrayLength() - 1].GetProperty("cause").GetProperty("type").GetString());

            var latest = await (await pipeline.Client.GetAsync($"/reviews/ld-il2/outcomes/{outcome.Id}/snapshots/latest")).Json();
            var result = latest.GetProperty("result");
            var metafor = expected.RootElement.GetProperty("outcomes").EnumerateArray().Single(o => o.GetProperty("outcome").GetString() == outcome.Id);
            Assert.Equal(metafor.GetProperty("k").GetInt32(), result.GetProperty("k").GetInt32());
            foreach (var field in Fields)
            {
                var want = metafor.GetProperty(field);
                var got = result.TryGetProperty(field, out var g) ? g : default;
                if (want.ValueKind == JsonValueKind.Null)
                {
                    Assert.True(got.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined, $"{outcome.Id}.{field}: expected null, got {got}");
                    continue;
                }
                Assert.True(got.ValueKind == JsonValueKind.Number, $"{outcome.Id}.{field}: expected {want}, got {got}");
                var tolerance = 1e-9 + 1e-5 * Math.Abs(want.GetDouble());
                Assert.True(Math.Abs(got.GetDouble() - want.GetDouble()) <= tolerance, $"{outcome.Id}.{field}: expected {want}, got {got}");
            }
        }

        // The correction of LUPIL-2 changes what a panel would conclude, and the version says so.
        var response = await (await pipeline.Client.GetAsync("/reviews/ld-il2/outcomes/response/snapshots/latest")).Json();
        var kinds = response.GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("kind").GetString()).ToList();
        Assert.Contains("significance", kinds);
        Assert.Contains("ciNull", kinds);
        Assert.Contains("trialStatus", kinds);
        Assert.Equal("pooled", response.GetProperty("absolute").GetProperty("controlRiskSource").GetString());

        var rebuild = await (await pipeline.Client.GetAsync("/reviews/ld-il2/rebuild")).Json();
        Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());
        Assert.Equal(outcomes.Sum(o => trials.Where(t => t.Data.ContainsKey(o.Id)).Select(t => t.Year).Distinct().Count()) + corrections.Sum(c => c.Data.Count),
            rebuild.GetProperty("versionsChecked").GetInt32());

        var folder = Directory.CreateTempSubdirectory("evidence-plots-").FullName;
        try
        {
            var report = new StringWriter();
            await ReportCommand.ReportAsync(pipeline.Client, "ld-il2", folder, TimeSpan.FromSeconds(60), report, default);
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName, "demo-report.txt"), report.ToString());
            Assert.Matches(@"\n\s*1\s+Recorded 1 trial\s+1\s.*\n\s*2\s+Recorded 5 trials\s+4\s.*\n\s*3\s+Corrected lupil2-2022\s+4\s+1\.588 \[0\.947, 2\.664\]\s+0\.055\s+44\.850\s*\n", report.ToString());
            Assert.Contains("lupil2-2022: ai 20 -> 34, bi 4 -> 16, ci 15 -> 29, di 14 -> 21", report.ToString(), StringComparison.Ordinal);
            // The correction raised signals (whatever the rules say) and the whole move is its own.
            Assert.Matches(@"\n    signals:\n(      \S.*\n)+    attribution \(analysis scale\):\n      lupil2-2022 TrialCorrected: estimate -0\.111, CI width \+0\.447, tau² \+0\.055\n",
                report.ToString().ReplaceLineEndings("\n"));
            Assert.Contains("      no longer significant at 0.05: p 0.0084 -> 0.0653\n      the CI now includes the null (1): 1.323 to 2.381 -> 0.947 to 2.664\n",
                report.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
            // Σcᵢ/Σ(cᵢ+dᵢ) = 56/133 after the correction; RR 1.588 [0.947, 2.664], the upper risk capped at 1.
            Assert.Contains("absolute effect at v3, control risk 421 per 1,000 (pooled): 248 more per 1,000 (22 fewer to 579 more); NNTB 5 (NNTH 45 to ∞ to NNTB 2)",
                report.ToString(), StringComparison.Ordinal);
            // Every version of the response outcome carries its trial sequential analysis (set before the trials), and only that outcome's.
            var tsa = Regex.Matches(report.ToString().ReplaceLineEndings("\n"), @"^  v(\d) +TSA: [\d,]+ of [\d,]+ participants \(RIS, D² \d\.\d\d\) = \d+%; Z -?\d+\.\d\d, .+; alpha spent \S+$", RegexOptions.Multiline);
            Assert.Equal(["1", "2", "3"], tsa.Select(m => m.Groups[1].Value));
            Assert.Contains("  trial sequential analysis (a sensitivity analysis):\n  v1  TSA: 59 of ", report.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', report.ToString());
            Assert.Equal(outcomes.Count * 7 + 2, Directory.GetFiles(folder).Length);
            Assert.True(File.Exists(Path.Combine(folder, "response-tsa.png")));
            Assert.All(outcomes, o => Assert.True(File.Exists(Path.Combine(folder, ReportCommand.Bundle(o.Id))), o.Id));
            Assert.Contains($"to re-run one in R: cd {folder} && Rscript -e 'unzip(", report.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var again = await ImportCommand.ImportAsync(pipeline.Client, "ld-il2", "LD-IL-2", "q", outcomes, trials, corrections, TextWriter.Null, default, thresholds, sequential);
        Assert.All(again.Results, r => Assert.Equal("already there", r.Result.Kind));
    }
}
