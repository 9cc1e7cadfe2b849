using System.Net;
using Evidence.Contracts;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Faults;
using Npgsql;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>Whatever the API accepted, a review keeps its snapshots moving; one review that cannot be processed holds back no other.</summary>
public sealed class NeverStuckTests(SnapshotPipeline<NeverStuckTests> pipeline) : IClassFixture<SnapshotPipeline<NeverStuckTests>>
{
    private HttpClient Client => pipeline.Client;

    private async Task ReviewAsync(string id, params object[] outcomes)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id, title = "t", question = "q" })).StatusCode);
        foreach (var outcome in outcomes)
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes", outcome)).StatusCode);
    }

    private static object Trial(string id, int year, object data) => new { id, year, source = $"{id} et al.", data };

    [Fact]
    public async Task WhatTheMeasureCanNeverUse_Should_BeRejected_AndDataWithoutAnEstimate_Should_GiveAVersionSayingSo()
    {
        const string review = "never-stuck";
        await ReviewAsync(review,
            new { id = "das28", name = "DAS28", dataType = "continuous", measure = "ROM", method = "REML" },
            new { id = "ae", name = "Serious adverse events", dataType = "binary", measure = "OR", method = "MH" });

        var rejected = await Client.Post($"/reviews/{review}/trials",
            Trial("zero-mean", 2019, new { das28 = new { m1i = 0, sd1i = 1, n1i = 10, m2i = 3, sd2i = 1, n2i = 10 } }));
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal(["data.das28.m1i"], await rejected.ErrorFields());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/reviews/{review}/trials/zero-mean")).StatusCode);

        foreach (var (id, year) in new[] { ("quiet-a", 2019), ("quiet-b", 2020) })
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial(id, year, new { ae = new { ai = 0, bi = 30, ci = 0, di = 28 } }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("events", 2021, new { ae = new { ai = 3, bi = 27, ci = 1, di = 29 } }))).StatusCode);

        var versions = await pipeline.AssertNothingLostNothingDuplicatedAsync(review, "ae", 3);
        Assert.Equal([false, false, true], versions.EnumerateArray().Select(v => v.GetProperty("summary").GetProperty("estimable").GetBoolean()));
        var second = await (await Client.GetAsync($"/reviews/{review}/outcomes/ae/snapshots/2")).Json();
        var result = second.GetProperty("result");
        Assert.False(result.GetProperty("estimable").GetBoolean());
        Assert.Equal(0, result.GetProperty("q_df").GetInt32());
        Assert.Equal(["quiet-a", "quiet-b"], result.GetProperty("involved").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains("No table has an event", result.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/reviews/{review}/outcomes/ae/snapshots/2/forest.svg")).StatusCode);
    }

    [Fact]
    public async Task AReviewWhoseEventCannotBeProcessed_Should_HoldBackNoOtherReview_AndMoveAgainOnceRepaired()
    {
        var fever = new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "DL" };
        await ReviewAsync("broken", fever);
        await ReviewAsync("healthy", fever);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews/broken/trials", Trial("t0", 2010, new { fever = new { xi = 3, ni = 40 } }))).StatusCode);
        await pipeline.WaitForVersionsAsync("broken", "fever", 1);

        // A stored event the worker cannot apply (a damaged row), committed while no worker runs.
        pipeline.Worker.Kill();
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews/broken/trials", Trial("t1", 2011, new { fever = new { xi = 5, ni = 40 } }))).StatusCode);
        var original = await DamageAsync("broken/t1");
        await using var worker = pipeline.StartWorker(reconcileSeconds: 1);
        await WaitForLogAsync(worker, "cannot be processed");

        // The broken review's event grows older while it stays unprocessed, and the reconciler retries
        // it every second; the worker's lag reports, which admission control holds writers by, must
        // not count it, and writers elsewhere go on.
        var brokenSince = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        await using (var lag = await Listener<SnapshotLag>.StartAsync(pipeline.Scope.RabbitMq))
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews/healthy/trials", Trial($"h{i}", 2010 + i, new { fever = new { xi = 2 + i, ni = 50 } }))).StatusCode);
                await Task.Delay(200);
            }
            await pipeline.WaitForVersionsAsync("healthy", "fever", 10, TimeSpan.FromSeconds(30));
            var reports = lag.Received.ToList();
            var brokenAge = (DateTimeOffset.UtcNow - brokenSince).TotalSeconds;
            Assert.NotEmpty(reports);
            Assert.True(reports.Max(r => r.Seconds) < brokenAge / 2,
                $"the worker reported a lag of up to {reports.Max(r => r.Seconds):0.00} s while the broken review's event was over {brokenAge:0} s old");
        }
        var status = await (await Client.GetAsync("/reviews/broken/snapshots/status")).Json();
        Assert.False(status.GetProperty("caughtUp").GetBoolean());

        await RepairAsync("broken/t1", original);
        await pipeline.WaitForVersionsAsync("broken", "fever", 2, TimeSpan.FromSeconds(30));
        await WaitForLogAsync(worker, "snapshots move again");
    }

    /// <summary>Replaces the recorded trial's data with null in the stored event; returns the original event body.</summary>
    private async Task<string> DamageAsync(string stream)
    {
        await using var connection = new NpgsqlConnection(pipeline.Scope.Postgres);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand($"select data::text from {pipeline.Scope.Schema}.mt_events where stream_id = @s and version = 1", connection);
        read.Parameters.AddWithValue("s", stream);
        var original = (string)(await read.ExecuteScalarAsync())!;
        await using var damage = new NpgsqlCommand($"update {pipeline.Scope.Schema}.mt_events set data = jsonb_set(data, '{{data}}', 'null') where stream_id = @s and version = 1", connection);
        damage.Parameters.AddWithValue("s", stream);
        Assert.Equal(1, await damage.ExecuteNonQueryAsync());
        return original;
    }

    private async Task RepairAsync(string stream, string original)
    {
        await using var connection = new NpgsqlConnection(pipeline.Scope.Postgres);
        await connection.OpenAsync();
        await using var repair = new NpgsqlCommand($"update {pipeline.Scope.Schema}.mt_events set data = @d::jsonb where stream_id = @s and version = 1", connection);
        repair.Parameters.AddWithValue("s", stream);
        repair.Parameters.AddWithValue("d", original);
        Assert.Equal(1, await repair.ExecuteNonQueryAsync());
    }

    private static async Task WaitForLogAsync(WorkerProcess worker, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!worker.Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The worker never logged '{text}':\n{worker.Output}");
            await Task.Delay(200);
        }
    }
}
