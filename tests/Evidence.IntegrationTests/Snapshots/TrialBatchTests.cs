using System.Net;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Faults;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// Trials recorded in batches through <c>POST /reviews/{review}/trials/batch</c>, against the real
/// API, worker, PostgreSQL and RabbitMQ: all or nothing, one version per outcome and batch naming
/// the batch, idempotent, rebuilt identically across the rebuild's pages, and whole across a killed worker.
/// </summary>
public sealed class TrialBatchTests(SnapshotPipeline<TrialBatchTests> pipeline) : IClassFixture<SnapshotPipeline<TrialBatchTests>>
{
    private HttpClient Client => pipeline.Client;

    private static object Trial(string id, int year, double ai, bool fever = false, string source = "") => new
    {
        id,
        year,
        source = $"{id} et al.{source}",
        attributes = new { disease = "SLE" },
        data = fever
            ? new Dictionary<string, object> { ["response"] = new { ai, bi = 20 - ai, ci = 6, di = 14 }, ["fever"] = new { xi = 3, ni = 20 } }
            : new Dictionary<string, object> { ["response"] = new { ai, bi = 20 - ai, ci = 6, di = 14 } },
    };

    private static IEnumerable<object> Trials(string prefix, int from, int count, string source = "") =>
        Enumerable.Range(from, count).Select(n => Trial($"{prefix}{n:0000}", 1990 + n % 30, 3 + n % 14, source: source));

    private async Task<string> ReviewAsync(string id)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "DL" })).StatusCode);
        return id;
    }

    private async Task<Guid> BatchAsync(string review, IEnumerable<object> trials, string? key = null)
    {
        var response = await Client.Post($"/reviews/{review}/trials/batch", new { trials }, key: key);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Json()).GetProperty("batch").GetGuid();
    }

    [Fact]
    public async Task ABatch_Should_StoreNothing_WhenAnyTrialIsBad_AndNameEachErrorByIndex()
    {
        var review = await ReviewAsync("all-or-nothing");
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("old-2010", 2010, 5))).StatusCode);
        var trials = new object[]
        {
            Trial("a-2016", 2016, 12),
            new { id = "b-2017", year = 2017, source = "b", data = new { response = new { ai = -1, bi = 20, ci = 6, di = 14 } } },
            Trial("old-2010", 2010, 7),
            Trial("a-2016", 2016, 9),
            new { id = "c-2018", year = 2018, source = "c", colour = "red", data = new { nosuch = new { ai = 1 } } },
        };

        var refused = await Client.Post($"/reviews/{review}/trials/batch", new { trials });
        var tooMany = await Client.Post($"/reviews/{review}/trials/batch", new { trials = Trials("t", 0, 1001) });
        var empty = await Client.Post($"/reviews/{review}/trials/batch", new { trials = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["trials[4].colour"], await refused.ErrorFields());
        // Binding errors come first; once the body binds, the decision names the rest by index.
        var decided = await Client.Post($"/reviews/{review}/trials/batch", new { trials = trials.Take(4) });
        Assert.Equal(["trials[1].data.response.ai", "trials[2].id", "trials[3].id"], (await decided.ErrorFields()).Order(StringComparer.Ordinal));
        Assert.Equal(["trials"], await tooMany.ErrorFields());
        Assert.Equal(["trials"], await empty.ErrorFields());
        var stored = await (await Client.GetAsync($"/reviews/{review}/trials")).Json();
        Assert.Equal(["old-2010"], stored.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var status = await (await Client.GetAsync($"/reviews/{review}/snapshots/status")).Json();
        var versions = await pipeline.WaitForVersionsAsync(review, "response", 1);
        Assert.Equal(status.GetProperty("lastEventSequence").GetInt64(), versions[0].GetProperty("cause").GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task ABatch_Should_YieldOneVersionPerOutcomeItChanged_NamingTheBatch_AndARetryShouldAppendNothing()
    {
        var review = await ReviewAsync("one-version");
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("a-2016", 2016, 12))).StatusCode);
        var trials = new[] { Trial("b-2017", 2017, 9), Trial("c-2018", 2018, 14, fever: true), Trial("d-2018", 2018, 5), Trial("e-2019", 2019, 11, fever: true) };

        var first = await Client.Post($"/reviews/{review}/trials/batch", new { trials, reason = "search of 2019" }, key: "batch-1");
        var retry = await Client.Post($"/reviews/{review}/trials/batch", new { trials, reason = "search of 2019" }, key: "batch-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotency-Replayed").Single());
        var answer = await first.Json();
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(["b-2017", "c-2018", "d-2018", "e-2019"], answer.GetProperty("trials").EnumerateArray().Select(t => t.GetString()));
        var batch = answer.GetProperty("batch").GetGuid();

        var response = await pipeline.WaitForVersionsAsync(review, "response", 2);
        var fever = await pipeline.WaitForVersionsAsync(review, "fever", 1);
        // Give the worker time to write anything more it would (it must not).
        await Task.Delay(TimeSpan.FromSeconds(2));
        response = await pipeline.WaitForVersionsAsync(review, "response", 2);
        fever = await pipeline.WaitForVersionsAsync(review, "fever", 1);
        Assert.Equal(2, response.GetArrayLength());
        Assert.Equal(1, fever.GetArrayLength());
        SnapshotLedger.AssertNoGaps(response);
        Assert.Equal([1, 5], response.EnumerateArray().Select(v => v.GetProperty("summary").GetProperty("k").GetInt32()));
        Assert.Equal(2, fever[0].GetProperty("summary").GetProperty("k").GetInt32());

        var status = await (await Client.GetAsync($"/reviews/{review}/snapshots/status")).Json();
        foreach (var version in new[] { response[1], fever[0] })
        {
            var cause = version.GetProperty("cause");
            Assert.Equal("TrialsRecorded", cause.GetProperty("type").GetString());
            Assert.Equal("search of 2019", cause.GetProperty("reason").GetString());
            Assert.False(cause.TryGetProperty("trialId", out _));
            Assert.Equal(batch, cause.GetProperty("batch").GetProperty("id").GetGuid());
            Assert.Equal(4, cause.GetProperty("batch").GetProperty("trials").GetInt32());
            Assert.Equal(status.GetProperty("lastEventSequence").GetInt64(), cause.GetProperty("sequence").GetInt64());
            Assert.Equal(cause.GetProperty("sequence").GetInt64() - 3, cause.GetProperty("batch").GetProperty("firstSequence").GetInt64());
        }
        var stored = await (await Client.GetAsync($"/reviews/{review}/trials")).Json();
        Assert.Equal(5, stored.GetArrayLength());
        var rebuild = await (await Client.GetAsync($"/reviews/{review}/rebuild")).Json();
        Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());
        Assert.Equal(3, rebuild.GetProperty("versionsChecked").GetInt32());
    }

    [Fact]
    public async Task BatchesOfAThousand_Should_TakeBodiesAboveTheUsualLimit_AndRebuildIdentically_AcrossTheRebuildsPages()
    {
        var review = await ReviewAsync("pages");
        // About 450 bytes a trial: each body is above the 256 KiB of other commands. The log holds the
        // review's 3 events, then 1,000 and 1,000 trials: the second batch straddles the rebuild's
        // page of 2,000 events.
        var padding = new string('x', 200);
        var first = await BatchAsync(review, Trials("t", 0, 1000, padding));
        var second = await BatchAsync(review, Trials("t", 1000, 1000, padding));
        var tooLarge = await Client.Post($"/reviews/{review}/trials/batch", new { trials = Trials("u", 0, 1000, new string('y', 4500)) });

        var versions = await pipeline.WaitForVersionsAsync(review, "response", 2, TimeSpan.FromSeconds(120));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(2, versions.GetArrayLength());
        Assert.Equal([1000, 2000], versions.EnumerateArray().Select(v => v.GetProperty("summary").GetProperty("k").GetInt32()));
        Assert.Equal([first, second], versions.EnumerateArray().Select(v => v.GetProperty("cause").GetProperty("batch").GetProperty("id").GetGuid()));
        var rebuild = await (await Client.GetAsync($"/reviews/{review}/rebuild")).Json();
        Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());
        Assert.Equal(2003, rebuild.GetProperty("eventsRead").GetInt32());
        Assert.Equal(2, rebuild.GetProperty("versionsChecked").GetInt32());

        // Above 50 trials the per-study sections are computed on read, from the log up to the batch's last event.
        var v1 = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/1")).Json();
        Assert.True(v1.GetProperty("studiesOnRead").GetBoolean());
        Assert.Equal(1000, v1.GetProperty("result").GetProperty("studies").GetArrayLength());
        var changes = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/changes?from=1&to=2")).Json();
        var attribution = changes.GetProperty("attribution");
        Assert.True(attribution.GetProperty("matchesStored").GetBoolean(), attribution.ToString());
        var step = Assert.Single(attribution.GetProperty("events").EnumerateArray());
        Assert.Equal(second, step.GetProperty("cause").GetProperty("batch").GetProperty("id").GetGuid());
        Assert.Equal(1000, attribution.GetProperty("eventsBetween").GetInt32());
    }

    [Fact]
    public async Task AWorkerKilledDuringBatches_Should_LoseNothing_AndDuplicateNothing()
    {
        var review = await ReviewAsync("killed");
        var second = pipeline.StartWorker();
        try
        {
            var batches = new List<Guid>();
            for (var i = 0; i < 12; i++)
            {
                batches.Add(await BatchAsync(review, Trials($"b{i:00}-", 0, 150)));
                if (i == 4)
                    second.Kill();
                if (i == 7)
                    second = pipeline.StartWorker();
            }
            var versions = await pipeline.WaitForVersionsAsync(review, "response", 12, TimeSpan.FromSeconds(180));
            await Task.Delay(TimeSpan.FromSeconds(2));
            versions = await pipeline.WaitForVersionsAsync(review, "response", 12);

            Assert.Equal(12, versions.GetArrayLength());
            SnapshotLedger.AssertNoGaps(versions);
            Assert.Equal(Enumerable.Range(1, 12).Select(i => i * 150), versions.EnumerateArray().Select(v => v.GetProperty("summary").GetProperty("k").GetInt32()));
            Assert.Equal(batches, versions.EnumerateArray().Select(v => v.GetProperty("cause").GetProperty("batch").GetProperty("id").GetGuid()));
            var rebuild = await (await Client.GetAsync($"/reviews/{review}/rebuild")).Json();
            Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
