extern alias worker;
using System.Net;
using Evidence.Api.Admission;
using Evidence.Contracts;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Snapshots;
using MassTransit;
using SnapshotLagReporter = worker::Evidence.Worker.Snapshots.SnapshotLagReporter;

namespace Evidence.IntegrationTests.Admission;

/// <summary>
/// Admission control end to end on the real broker: the worker reports its lag, and the API holds
/// commands back while a fresh report says the snapshots are behind, and stops when reports cease.
/// </summary>
public sealed class AdmissionTests(SnapshotPipeline<AdmissionTests> pipeline) : IClassFixture<SnapshotPipeline<AdmissionTests>>
{
    private HttpClient Client => pipeline.Client;

    [Fact]
    public async Task Worker_Should_ReportItsLag_FourTimesASecond()
    {
        List<SnapshotLag> reports;
        await using (var listener = await Listener<SnapshotLag>.StartAsync(pipeline.Scope.RabbitMq))
        {
            await listener.WaitAsync(r => r.Count >= 9, TimeSpan.FromSeconds(30));
            reports = listener.Received.ToList();
        }
        Assert.True(reports.Count >= 9, $"{reports.Count} lag report(s) from the worker within 30 s");
        Assert.All(reports, r => Assert.InRange(r.Seconds, 0, 60));
        // Nine reports of one worker span eight intervals of 250 ms: about 2 s, not much more.
        var span = reports[8].At - reports[0].At;
        Assert.InRange(span, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3.5));
    }

    [Fact]
    public async Task CommandsWhileAWorkerReportsLag_Should_BeHeldBack_AndReleasedOnceTheLagSubsides()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id = "held", title = "t", question = "q" })).StatusCode);
        // A worker that lags: only the workers' broker user may publish lag reports.
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(pipeline.Scope.WorkerRabbitMq));
        await bus.StartAsync();
        HttpResponseMessage? held = null;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            for (var n = 0; held is null && DateTime.UtcNow < deadline; n++)
            {
                await bus.Publish(new SnapshotLag("lagging-worker", 10, DateTimeOffset.UtcNow),
                    context => SnapshotLagReporter.PublishedAs(context, EvidenceServices.UserOf(pipeline.Scope.WorkerRabbitMq).Name));
                var response = await Client.Post("/reviews/held/outcomes", new { id = $"o{n}", name = "O", dataType = "binary", measure = "RR", method = "REML" });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                if (response.Headers.Contains(AdmissionExtensions.HeldHeader))
                    held = response;
            }
        }
        finally
        {
            await bus.StopAsync();
        }
        Assert.NotNull(held);
        Assert.True(int.Parse(held.Headers.GetValues(AdmissionExtensions.HeldHeader).Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        // The fake report expires; the real worker reports no lag, so the hold shrinks step by step
        // until commands go straight through.
        var free = false;
        var until = DateTime.UtcNow.AddSeconds(30);
        for (var n = 0; !free && DateTime.UtcNow < until; n++)
        {
            var response = await Client.Post("/reviews/held/outcomes", new { id = $"p{n}", name = "P", dataType = "binary", measure = "RR", method = "REML" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            free = !response.Headers.Contains(AdmissionExtensions.HeldHeader);
        }
        Assert.True(free, "commands were still held back 30 s after the lagging reports stopped");
    }
}
