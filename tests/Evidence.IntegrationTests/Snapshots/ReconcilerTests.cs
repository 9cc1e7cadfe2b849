using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Evidence.Contracts;
using Evidence.IntegrationTests.Api;
using RabbitMQ.Client;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>Messages lost while no worker ran: the reconciler fills the snapshots from the event log.</summary>
public sealed class ReconcilerTests(SnapshotPipeline<ReconcilerTests> pipeline) : IClassFixture<SnapshotPipeline<ReconcilerTests>>
{
    [Fact]
    public async Task LostMessages_Should_BeMadeGoodByTheReconciler()
    {
        var client = pipeline.Client;
        pipeline.Worker.Kill();
        Assert.Equal(HttpStatusCode.Created, (await client.Post("/reviews", new { id = "lost", title = "t", question = "q" })).StatusCode);
        await client.Post("/reviews/lost/outcomes", new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "REML" });
        for (var i = 0; i < 5; i++)
            await client.Post("/reviews/lost/trials", new { id = $"t{i}", year = 2010 + i, source = "s", data = new { fever = new { xi = 3 + i, ni = 40 } } });

        // Let the forwarder send, then drop every message as if the broker had lost them.
        await Task.Delay(2000);
        var factory = new ConnectionFactory { Uri = pipeline.Scope.RabbitMq };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
            await channel.QueuePurgeAsync(Queues.Snapshots);

        await using var worker = pipeline.StartWorker(reconcileSeconds: 1);
        var versions = await pipeline.WaitForVersionsAsync("lost", "fever", 5);

        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt64()));
        Assert.Equal(5, versions[4].GetProperty("summary").GetProperty("k").GetInt32());
    }

    [Fact]
    public async Task A_restarted_worker_resumes_from_the_stored_mark_and_visits_only_the_reviews_with_new_events()
    {
        var client = pipeline.Client;
        foreach (var review in new[] { "resume-a", "resume-b" })
        {
            Assert.Equal(HttpStatusCode.Created, (await client.Post("/reviews", new { id = review, title = "t", question = "q" })).StatusCode);
            await client.Post($"/reviews/{review}/outcomes", new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "REML" });
            await client.Post($"/reviews/{review}/trials", new { id = "t0", year = 2010, source = "s", data = new { fever = new { xi = 3, ni = 40 } } });
        }
        var last = Math.Max(await LastEventAsync("resume-a"), await LastEventAsync("resume-b"));

        // A worker whose complete pass reached past both reviews stores that mark; then it dies.
        await using (var first = pipeline.StartWorker(reconcileSeconds: 1))
            await PassAsync(first, pass => pass.Mark >= last);

        await client.Post("/reviews/resume-a/trials", new { id = "t1", year = 2011, source = "s", data = new { fever = new { xi = 5, ni = 40 } } });
        await using var second = pipeline.StartWorker(reconcileSeconds: 1);
        var resumed = await PassAsync(second, _ => true);

        Assert.True(resumed.From >= last, $"the restarted worker started from {resumed.From}, before the stored mark {last}");
        Assert.Equal(1, resumed.Reviews);
        await pipeline.WaitForVersionsAsync("resume-a", "fever", 2);
    }

    private async Task<long> LastEventAsync(string review) =>
        (await pipeline.Client.GetFromJsonAsync<JsonElement>($"/reviews/{review}/snapshots/status")).GetProperty("lastEventSequence").GetInt64();

    /// <summary>The first pass the worker has logged that satisfies <paramref name="wanted"/>, waiting for it.</summary>
    private static async Task<(int Reviews, long From, long Mark)> PassAsync(WorkerProcess worker, Func<(int Reviews, long From, long Mark), bool> wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            foreach (Match m in Regex.Matches(worker.Output, @"Reconciled (\d+) review\(s\) with events after sequence (\d+) up to (\d+)"))
            {
                var pass = (int.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), long.Parse(m.Groups[3].Value));
                if (wanted(pass))
                    return pass;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"No such reconciliation pass within 60 s. Worker output:\n{worker.Output}");
        return default;
    }
}
