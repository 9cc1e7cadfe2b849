using Evidence.Contracts;
using Evidence.Domain;
using Evidence.Hosting;
using Evidence.Worker.Snapshots;
using Evidence.Worker.Webhooks;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Evidence.Worker;

/// <summary>How the worker host is put together: messaging, event store, health.</summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddEvidenceWorker(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // MassTransit first: its hosted service must be running before Marten's, so anything Marten
        // starts (projections, subscriptions) can already publish.
        services.AddMassTransit(x =>
        {
            // A medical-evidence service reports nothing to anyone; MassTransit's usage report is on by default.
            x.DisableUsageTelemetry();
            x.AddConsumers(typeof(Extensions).Assembly);
            // The snapshot queue holds work not yet done; in a cluster it is replicated (a quorum queue).
            x.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                if (name == Queues.Snapshots && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit
                    && BrokerConnection.QuorumQueues(context.GetRequiredService<IConfiguration>()))
                    rabbit.SetQuorumQueue();
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.UseEvidenceBroker(context.GetRequiredService<IConfiguration>());
                cfg.ConfigureEndpoints(context);
            });
        });
        services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);

        services.AddEvidenceStore();

        services.AddSnapshots();

        services.AddWebhooks();

        // The worker serves no HTTP: its health is published to a file a container probe can read.
        services.AddHealthChecks()
            .AddNpgSql(sp => sp.GetRequiredService<IConfiguration>().Required("Postgres"), name: "postgres", tags: ["ready"]);
        services.Configure<HealthCheckPublisherOptions>(o => o.Period = TimeSpan.FromSeconds(10));
        services.AddSingleton<IHealthCheckPublisher>(sp =>
            new HealthFile(sp.GetRequiredService<IConfiguration>()["Health:File"] ?? Path.Combine(Path.GetTempPath(), "evidence-worker.healthy")));
        return builder;
    }

    /// <summary>Touches the file while every check is healthy and removes it otherwise.</summary>
    private sealed class HealthFile(string path) : IHealthCheckPublisher
    {
        public async Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
        {
            if (report.Status == HealthStatus.Healthy)
                await File.WriteAllTextAsync(path, DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
            else
                File.Delete(path);
        }
    }
}
