using System.Net;
using System.Text.Json;
using Evidence.Contracts;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Evidence.IntegrationTests.Security;

/// <summary>
/// The hosts' broker users have only the rights they need: neither is an administrator, and the
/// API's may hear lag reports but not publish one, so only workers slow the API's commands down.
/// </summary>
public sealed class BrokerPrivilegeTests(TestScope<BrokerPrivilegeTests> scope) : IClassFixture<TestScope<BrokerPrivilegeTests>>
{
    [Fact]
    public async Task ApiUser_Should_BeRefused_WhenPublishingALagReport()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Bound as the API binds its own lag queue, and as the API's user.
        await using var listener = await Listener<SnapshotLag>.StartAsync(scope.RabbitMq);

        var refusal = await PublishAsync(scope.RabbitMq, ExchangeOf<SnapshotLag>(), new SnapshotLag("impostor", 60, DateTimeOffset.UtcNow));
        var worker = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(scope.WorkerRabbitMq));
        await worker.StartAsync(timeout.Token);
        try
        {
            await worker.Publish(new SnapshotLag("worker", 0.1, DateTimeOffset.UtcNow), timeout.Token);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
        await listener.WaitAsync(r => r.Any(l => l.Worker == "worker"), TimeSpan.FromSeconds(30));

        Assert.NotNull(refusal);
        Assert.Equal(403, refusal.ReplyCode);
        Assert.Contains("ACCESS_REFUSED", refusal.ReplyText, StringComparison.Ordinal);
        // The user that may not publish a report still hears the workers'.
        Assert.Contains(listener.Received, l => l.Worker == "worker");
    }

    /// <summary>The exchange MassTransit publishes <typeparamref name="T"/> to, named as the hosts name it.</summary>
    private string ExchangeOf<T>() where T : class
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(scope.RabbitMq));
        Assert.True(bus.Topology.Publish<T>().TryGetPublishAddress(bus.Address, out var address));
        return Uri.UnescapeDataString(address.AbsolutePath.Split('/')[^1]);
    }

    /// <summary>Publishes as the user of <paramref name="broker"/>; the broker's reason if it closed the channel for it.</summary>
    private static async Task<ShutdownEventArgs?> PublishAsync<T>(Uri broker, string exchange, T message)
    {
        var factory = new ConnectionFactory { Uri = broker };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.BasicPublishAsync(exchange, "", JsonSerializer.SerializeToUtf8Bytes(message));
            // A refusal closes the channel asynchronously; a permitted publish leaves it open.
            for (var waited = 0; channel.IsOpen && waited < 50; waited++)
                await Task.Delay(100);
        }
        catch (OperationInterruptedException)
        {
        }
        return channel.CloseReason;
    }

    [Fact]
    public async Task HostUsers_Should_NotBeAdministrators()
    {
        var services = await EvidenceServices.GetAsync();
        using var admin = services.ManagementClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("api/whoami")).StatusCode);

        foreach (var broker in new[] { scope.RabbitMq, scope.WorkerRabbitMq })
        {
            var user = EvidenceServices.UserOf(broker);
            using var asUser = services.ManagementClient(user);
            Assert.Equal(HttpStatusCode.Unauthorized, (await asUser.GetAsync("api/whoami")).StatusCode);

            var record = JsonDocument.Parse(await admin.GetStringAsync($"api/users/{Uri.EscapeDataString(user.Name)}")).RootElement;
            Assert.DoesNotContain("administrator", record.GetProperty("tags").ToString(), StringComparison.Ordinal);
        }
    }
}
