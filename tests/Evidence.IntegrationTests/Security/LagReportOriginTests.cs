extern alias worker;
using System.Net;
using System.Text.Json;
using Evidence.Api.Admission;
using Evidence.Contracts;
using Evidence.IntegrationTests.Api;
using MassTransit;
using SnapshotLagReporter = worker::Evidence.Worker.Snapshots.SnapshotLagReporter;

namespace Evidence.IntegrationTests.Security;

/// <summary>
/// Only workers slow the API's commands down: a lag report the API's own broker user writes straight
/// into the API's lag queue (which it may, unlike the reports' exchange) is ignored; the same report
/// from the worker's user holds commands back. No worker runs, so the reports sent here are the only ones.
/// </summary>
public sealed class LagReportOriginTests(ApiHost<LagReportOriginTests> host) : IClassFixture<ApiHost<LagReportOriginTests>>
{
    [Fact]
    public async Task ReportsSentAsTheApi_Should_BeIgnored_AndTheWorkersHeeded()
    {
        Assert.Equal(HttpStatusCode.Created, (await host.Client.Post("/reviews", new { id = "origin", title = "t", question = "q" })).StatusCode);
        var queue = await ApiLagExchangeAsync();
        var api = EvidenceServices.UserOf(host.Scope.RabbitMq).Name;
        var worker = EvidenceServices.UserOf(host.Scope.WorkerRabbitMq).Name;

        // Unnamed, and named as the API's own user (the broker lets a user name itself).
        var heldForApi = await HeldWhileReportingAsync(host.Scope.RabbitMq, queue, [null, api], TimeSpan.FromSeconds(5), "a");
        var heldForWorker = await HeldWhileReportingAsync(host.Scope.WorkerRabbitMq, queue, [worker], TimeSpan.FromSeconds(30), "b");

        Assert.False(heldForApi, "a command was held back for lag reports sent as the API");
        Assert.True(heldForWorker, "no command was held back for the worker's lag reports within 30 s");
    }

    /// <summary>The exchange of the API instance's own lag queue.</summary>
    private async Task<string> ApiLagExchangeAsync()
    {
        using var management = (await EvidenceServices.GetAsync()).ManagementClient();
        var exchanges = JsonDocument.Parse(await management.GetStringAsync($"api/exchanges/{Uri.EscapeDataString(host.Scope.VirtualHost)}?columns=name"));
        return exchanges.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).Single(n => n.StartsWith("evidence-api-lag-", StringComparison.Ordinal));
    }

    /// <summary>Sends reports of 10 s lag to <paramref name="exchange"/> as the user of <paramref name="broker"/>, named in turn as each of <paramref name="names"/>, with a command after each; whether one was held back.</summary>
    private async Task<bool> HeldWhileReportingAsync(Uri broker, string exchange, string?[] names, TimeSpan duration, string prefix)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(broker));
        await bus.StartAsync();
        try
        {
            // Declared as the API declared it: temporary (not durable, deleted with its queue).
            var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{exchange}?temporary=true"));
            var deadline = DateTime.UtcNow + duration;
            for (var n = 0; DateTime.UtcNow < deadline; n++)
            {
                var name = names[n % names.Length];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await endpoint.Send(new SnapshotLag("impostor", 10, DateTimeOffset.UtcNow), context =>
                {
                    if (name is not null)
                        SnapshotLagReporter.PublishedAs(context, name);
                }, timeout.Token);
                var response = await host.Client.Post("/reviews/origin/outcomes", new { id = $"{prefix}{n}", name = "O", dataType = "binary", measure = "RR", method = "REML" });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                if (response.Headers.Contains(AdmissionExtensions.HeldHeader))
                    return true;
                await Task.Delay(100);
            }
            return false;
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
