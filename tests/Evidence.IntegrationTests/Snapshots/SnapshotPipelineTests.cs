using System.Net;
using Evidence.Contracts;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Faults;
using MassTransit;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>API to snapshot on real PostgreSQL and RabbitMQ, with the worker as its own process.</summary>
public sealed class SnapshotPipelineTests(SnapshotPipeline<SnapshotPipelineTests> pipeline) : IClassFixture<SnapshotPipeline<SnapshotPipelineTests>>
{
    private HttpClient Client => pipeline.Client;

    private static object Trial(string id, int year, double ai, string disease = "SLE") => new
    {
        id,
        year,
        source = $"{id} et al.",
        attributes = new { disease, dose = "1 MIU" },
        data = new Dictionary<string, object> { ["response"] = new { ai, bi = 20 - ai, ci = 6, di = 14 } },
    };

    private async Task<string> ReviewAsync(string id)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML", subgroup = "disease" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "DL" })).StatusCode);
        return id;
    }

    [Fact]
    public async Task EachChange_Should_YieldOneVersion_NamingItsCause_AndNoneForOtherOutcomes()
    {
        var review = await ReviewAsync("lifecycle");
        foreach (var (id, year, ai) in new[] { ("a-2016", 2016, 12.0), ("b-2019", 2019, 15.0), ("c-2021", 2021, 9.0) })
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial(id, year, ai))).StatusCode);
        await pipeline.WaitForVersionsAsync(review, "response", 3);

        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/b-2019/corrections",
            new { attributes = new { dose = "2 MIU" }, reason = "dose typo" }, ifMatch: "1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/b-2019/exclusion", new { reason = "not randomised" }, ifMatch: "2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/b-2019/reinstatement", new { reason = "randomised after all" }, ifMatch: "3")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/c-2021/retraction", new { reason = "fabricated", notice = "retraction notice" }, ifMatch: "1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/outcomes/response/analysis", new { method = "DL", reason = "protocol v2" })).StatusCode);
        var versions = await pipeline.WaitForVersionsAsync(review, "response", 7);

        SnapshotLedger.AssertNoGaps(versions);
        Assert.Equal(
            ["TrialRecorded", "TrialRecorded", "TrialRecorded", "TrialExcluded", "TrialReinstated", "TrialRetracted", "OutcomeAnalysisChanged"],
            versions.EnumerateArray().Select(v => v.GetProperty("cause").GetProperty("type").GetString()));
        Assert.Equal("b-2019", versions[3].GetProperty("cause").GetProperty("trialId").GetString());
        Assert.Equal("not randomised", versions[3].GetProperty("cause").GetProperty("reason").GetString());
        Assert.Equal([1, 2, 3, 2, 3, 2, 2], versions.EnumerateArray().Select(v => v.GetProperty("summary").GetProperty("k").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/reviews/{review}/outcomes/fever/snapshots/latest")).StatusCode);

        var latest = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/latest")).Json();
        Assert.Equal(7, latest.GetProperty("version").GetInt64());
        Assert.Equal("DL", latest.GetProperty("settings").GetProperty("method").GetString());
        Assert.Equal("retracted", latest.GetProperty("leftOut")[0].GetProperty("status").GetString());
        Assert.Equal(2, latest.GetProperty("result").GetProperty("k").GetInt32());
    }

    [Fact]
    public async Task AsOfAndChanges_Should_ReturnWhatTheEventsSay()
    {
        var review = await ReviewAsync("as-of");
        await Client.Post($"/reviews/{review}/trials", Trial("a-2016", 2016, 12));
        await pipeline.WaitForVersionsAsync(review, "response", 1);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await Client.Post($"/reviews/{review}/trials", Trial("b-2019", 2019, 15, disease: "RA"));
        await Client.Post($"/reviews/{review}/trials/a-2016/corrections", new { data = new { response = new { ai = 16 } }, reason = "ITT" }, ifMatch: "1");
        await pipeline.WaitForVersionsAsync(review, "response", 3);

        var asOf = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots?asOf={Uri.EscapeDataString(between.ToString("O"))}")).Json();
        var before = await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots?asOf=2000-01-01T00:00:00Z");
        var changes = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/changes?from=1&to=3")).Json();
        var badRange = await Client.GetAsync($"/reviews/{review}/outcomes/response/changes?from=3&to=1");

        Assert.Equal(1, asOf.GetProperty("version").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        var diff = changes.GetProperty("diff");
        Assert.Equal(["b-2019"], diff.GetProperty("trialsAdded").EnumerateArray().Select(t => t.GetString()));
        var changed = diff.GetProperty("trialsChanged")[0];
        Assert.Equal("a-2016", changed.GetProperty("trialId").GetString());
        Assert.Contains(changed.GetProperty("fields").EnumerateArray(), f => f.GetProperty("field").GetString() == "data.ai" && f.GetProperty("to").GetDouble() == 16);
        Assert.Equal(1, diff.GetProperty("k").GetProperty("from").GetInt32());
        Assert.Equal(2, diff.GetProperty("k").GetProperty("to").GetInt32());
        Assert.Equal(["TrialRecorded", "TrialCorrected"], changes.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
    }

    [Fact]
    public async Task DuplicatedAndReorderedMessages_Should_ChangeNothing()
    {
        var review = await ReviewAsync("duplicates");
        for (var i = 0; i < 4; i++)
            await Client.Post($"/reviews/{review}/trials", Trial($"t{i}", 2010 + i, 8 + i));
        var settled = await pipeline.WaitForVersionsAsync(review, "response", 4);

        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(pipeline.Scope.RabbitMq));
        await bus.StartAsync();
        try
        {
            var worker = await bus.GetSendEndpoint(new Uri($"queue:{Queues.Snapshots}"));
            var last = settled[3].GetProperty("cause").GetProperty("sequence").GetInt64();
            foreach (var sequence in new[] { last, last, 1, last - 2, last, 3 })
                await worker.Send(new ReviewEventsCommitted(review, sequence));
        }
        finally
        {
            await bus.StopAsync();
        }
        await Client.Post($"/reviews/{review}/trials", Trial("t9", 2030, 10));
        var after = await pipeline.WaitForVersionsAsync(review, "response", 5);
        await Task.Delay(1000);
        var final = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots")).Json();

        Assert.Equal(5, final.GetArrayLength());
        SnapshotLedger.AssertNoGaps(final);
        Assert.Equal(settled[3].GetRawText(), after[3].GetRawText());
    }

    [Fact]
    public async Task EveryNewVersion_Should_BePublishedAsEstimateChanged_WithItsFlags()
    {
        var review = await ReviewAsync("published");
        List<EstimateChanged> messages;
        await using (var listener = await Listener<EstimateChanged>.StartAsync(pipeline.Scope.RabbitMq))
        {
            await Client.Post($"/reviews/{review}/trials", Trial("a-2016", 2016, 12));
            await Client.Post($"/reviews/{review}/trials", Trial("b-2019", 2019, 14));
            await Client.Post($"/reviews/{review}/trials/a-2016/corrections", new { data = new { response = new { ai = 2, bi = 18 } }, reason = "wrong arm" }, ifMatch: "1");
            await pipeline.WaitForVersionsAsync(review, "response", 3);
            await listener.WaitAsync(r => r.Count(m => m.ReviewId == review) >= 3, TimeSpan.FromSeconds(30));
            messages = listener.Received.Where(m => m.ReviewId == review).OrderBy(m => m.Version).ToList();
        }

        Assert.Equal([1L, 2L, 3L], messages.Select(m => m.Version));
        Assert.Equal("TrialCorrected", messages[2].CauseType);
        Assert.Equal("wrong arm", messages[2].Reason);
        Assert.True(messages[2].DirectionFlipped);
        Assert.Equal(2, messages[2].K);
        // The message carries the version's signals: the correction of a trial in the analysis, and the estimate's moves.
        Assert.Empty(messages[0].Signals);
        var corrected = Assert.Single(messages[2].Signals, s => s.Kind == "trialStatus");
        Assert.Equal("a-2016", corrected.TrialId);
        Assert.Contains(messages[2].Signals, s => s.Kind == "direction");
    }

    [Fact]
    public async Task AKilledWorker_And_TwoWorkersAtOnce_Should_LeaveNoGapAndNoDuplicate()
    {
        var review = await ReviewAsync("crash");
        var second = pipeline.StartWorker();
        try
        {
            for (var i = 0; i < 30; i++)
            {
                Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial($"t{i:00}", 1990 + i, 5 + i % 10))).StatusCode);
                if (i == 10)
                    second.Kill();
                if (i == 15)
                    second = pipeline.StartWorker();
            }
            var versions = await pipeline.WaitForVersionsAsync(review, "response", 30, TimeSpan.FromSeconds(120));

            Assert.Equal(30, versions.GetArrayLength());
            SnapshotLedger.AssertNoGaps(versions);
            Assert.Equal(Enumerable.Range(1, 30), versions.EnumerateArray().Select(v => v.GetProperty("summary").GetProperty("k").GetInt32()));
            var rebuild = await (await Client.GetAsync($"/reviews/{review}/rebuild")).Json();
            Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
