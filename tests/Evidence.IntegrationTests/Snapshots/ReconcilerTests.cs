using System.Net;
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
}
