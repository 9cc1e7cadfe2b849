using Evidence.Contracts;
using Evidence.Domain;
using MassTransit;

namespace Evidence.Worker.Snapshots;

/// <summary>Publishes this worker's <see cref="SnapshotLag"/> every 250 ms, for the API's admission control.</summary>
public sealed class SnapshotLagReporter(
    SnapshotLagMeter meter, IBus bus, TimeProvider clock, IConfiguration configuration, ILogger<SnapshotLagReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly string worker = $"{Environment.MachineName}:{Environment.ProcessId}";
    private readonly string brokerUser = configuration.BrokerUser();

    /// <summary>
    /// Names the broker user a report is published as (the AMQP user-id). The broker refuses a name
    /// other than the connection's own, so the API can tell a worker's report from any other.
    /// </summary>
    public static void PublishedAs(SendContext context, string brokerUser)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var amqp))
            amqp.BasicProperties.UserId = brokerUser;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await bus.Publish(new SnapshotLag(worker, meter.Take(), clock.GetUtcNow()), context => PublishedAs(context, brokerUser), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A missed report only leaves the API's view to expire; the next one replaces it.
                logger.LogDebug(e, "Could not publish the snapshot lag");
            }
        }
    }
}
