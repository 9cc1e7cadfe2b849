using CsCheck;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Faults;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// Random sequences of commands, edge values included (zero cells, zero means, r = ±1 with equal SDs,
/// no events or only events, tiny and huge variances), sent through the real API to the real worker.
/// Whatever the API accepts, every review catches up, each outcome's versions run 1, 2, 3… with one
/// cause each, and a rebuild from the events gives exactly the stored snapshots (so one version per
/// event per affected outcome, and none for the rest).
/// </summary>
public sealed class AcceptedCommandsTests(SnapshotPipeline<AcceptedCommandsTests> pipeline) : IClassFixture<SnapshotPipeline<AcceptedCommandsTests>>
{
    /// <summary>Sequences per run; <c>EVIDENCE_PROPERTY_ITERATIONS</c> raises it for a longer search.</summary>
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("EVIDENCE_PROPERTY_ITERATIONS"), out var n) ? n : 8;

    private sealed record OutcomeKind(string Id, string DataType, string Measure, string Method, string[] Columns, double[][] Values, (string Measure, string Method)[] Changes);

    private static readonly double[] Cells = [0, 1, 3, 20];

    private static readonly OutcomeKind[] Outcomes =
    [
        new("ae-mh", "binary", "OR", "MH", ["ai", "bi", "ci", "di"], [Cells, Cells, Cells, Cells], [("RR", "MH"), ("RD", "MH"), ("OR", "REML"), ("OR", "PETO")]),
        new("ae-peto", "binary", "PETO", "PETO", ["ai", "bi", "ci", "di"], [Cells, Cells, Cells, Cells], [("OR", "PETO"), ("RR", "DL"), ("OR", "FE")]),
        new("response", "binary", "RR", "REML", ["ai", "bi", "ci", "di"], [Cells, Cells, Cells, Cells], [("RD", "DL"), ("OR", "MH"), ("RR", "PM")]),
        new("das28", "continuous", "ROM", "REML", ["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"],
            [[-2, 0, 0.5, 3], [0.1, 1, 1, 4], [2, 3, 12, 40], [-2, 0, 0.5, 3], [0.1, 1, 1, 4], [2, 3, 12, 40]], [("MD", "REML"), ("SMD", "DL"), ("ROM", "SJ")]),
        new("treg", "prepost", "SMCC", "REML", ["m_pre", "sd_pre", "m_post", "sd_post", "ni", "ri"],
            [[0, 1, 1, 5], [1, 1, 2, 0.5], [0, 1, 1, 5], [1, 1, 2, 0.5], [2, 3, 20, 50], [-1, 0, 0.5, 1]], [("SMCR", "FE"), ("MC", "HE"), ("SMCC", "ML")]),
        new("fever", "proportion", "PLO", "DL", ["xi", "ni"], [[0, 1, 5, 40], [1, 5, 40, 40]], [("PFT", "REML"), ("PR", "FE"), ("PAS", "EB")]),
        new("generic", "generic", "GEN", "SJ", ["yi", "vi"], [[-3, 0, 0.001, 2], [1e-8, 0.01, 1, 1e6]], [("GEN", "REML"), ("GEN", "PM")]),
    ];

    private const int Trials = 6;

    /// <summary>One command: what kind, on which trial and outcome, with which values (indexes into each column's edge values).</summary>
    private sealed record Step(int Kind, int Trial, int Year, int Outcome, int SecondOutcome, int[] Values, int Choice);

    private static readonly Gen<Step> StepGen =
        Gen.Select(Gen.Int[0, 19], Gen.Int[0, Trials - 1], Gen.Int[2000, 2025], Gen.Int[0, Outcomes.Length - 1], Gen.Int[-1, Outcomes.Length - 1],
            Gen.Int[0, 3].Array[6], Gen.Int[0, 9], (kind, trial, year, outcome, second, values, choice) => new Step(kind, trial, year, outcome, second, values, choice));

    private static readonly Gen<Step[]> Sequences = StepGen.Array[15, 40];

    private int reviews;

    [Fact]
    public async Task EveryAcceptedSequence_Should_CatchUp_WithOneVersionPerEventPerAffectedOutcome_AndRebuildIdentically()
    {
        await Sequences.SampleAsync(RunAsync, iter: Iterations, threads: 1, print: steps => string.Join("\n", steps.Select(s => s.ToString())));
        Assert.DoesNotContain("cannot be processed", pipeline.Worker.Output);
    }

    private async Task RunAsync(Step[] steps)
    {
        var review = $"prop-{Interlocked.Increment(ref reviews)}";
        var client = pipeline.Client;
        Ok(await client.Post("/reviews", new { id = review, title = "t", question = "q" }));
        foreach (var o in Outcomes)
            Ok(await client.Post($"/reviews/{review}/outcomes", new { id = o.Id, name = o.Id, dataType = o.DataType, measure = o.Measure, method = o.Method }));

        foreach (var step in steps)
            Answered(await SendAsync(review, step), step);

        await pipeline.WaitForCatchUpAsync(review);
        var rebuild = await (await client.GetAsync($"/reviews/{review}/rebuild")).Json();
        Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());
        foreach (var o in Outcomes)
        {
            var versions = await (await client.GetAsync($"/reviews/{review}/outcomes/{o.Id}/snapshots")).Json();
            var numbers = versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt64()).ToList();
            var causes = versions.EnumerateArray().Select(v => v.GetProperty("cause").GetProperty("sequence").GetInt64()).ToList();
            Assert.Equal(Enumerable.Range(1, numbers.Count).Select(i => (long)i), numbers);
            Assert.Equal(causes.Distinct().Order(), causes);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string review, Step step)
    {
        var client = pipeline.Client;
        var trial = $"t{step.Trial}";
        var path = $"/reviews/{review}/trials/{trial}";
        switch (step.Kind)
        {
            case < 8:
                var data = new Dictionary<string, object> { [Outcomes[step.Outcome].Id] = Values(Outcomes[step.Outcome], step.Values) };
                if (step.SecondOutcome >= 0)
                    data[Outcomes[step.SecondOutcome].Id] = Values(Outcomes[step.SecondOutcome], [.. step.Values.Reverse()]);
                return await client.Post($"/reviews/{review}/trials", new { id = trial, year = step.Year, source = "s", attributes = new { arm = $"a{step.Choice % 3}" }, data });
            case < 12:
                return await client.Post($"{path}/corrections",
                    new { data = new Dictionary<string, object> { [Outcomes[step.Outcome].Id] = Values(Outcomes[step.Outcome], step.Values) }, reason = "extraction error" },
                    ifMatch: await VersionAsync(path));
            case < 14:
                return await client.Post($"{path}/exclusion", new { reason = "not randomised" }, ifMatch: await VersionAsync(path));
            case < 16:
                return await client.Post($"{path}/reinstatement", new { reason = "randomised after all" }, ifMatch: await VersionAsync(path));
            case 16:
                return await client.Post($"{path}/retraction", new { reason = "fabricated" }, ifMatch: await VersionAsync(path));
            default:
                var outcome = Outcomes[step.Outcome];
                var (measure, method) = outcome.Changes[step.Choice % outcome.Changes.Length];
                return await client.Post($"/reviews/{review}/outcomes/{outcome.Id}/analysis",
                    new { measure, method, test = step.Choice >= 7 && method is not ("MH" or "PETO") ? "knha" : "z", reason = "protocol change" });
        }
    }

    private static Dictionary<string, double> Values(OutcomeKind outcome, int[] picks) =>
        outcome.Columns.Select((c, i) => (c, outcome.Values[i][picks[i % picks.Length]])).ToDictionary(x => x.c, x => x.Item2);

    /// <summary>The trial's current version, for If-Match; "1" when it does not exist (the command then gets 404).</summary>
    private async Task<string> VersionAsync(string path)
    {
        var response = await pipeline.Client.GetAsync(path);
        return response.Headers.ETag?.Tag ?? "\"1\"";
    }

    private static void Ok(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");

    /// <summary>The API either accepted the command or refused it as a client error; it never failed.</summary>
    private static void Answered(HttpResponseMessage response, Step step) =>
        Assert.True((int)response.StatusCode < 500, $"{step}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");
}
