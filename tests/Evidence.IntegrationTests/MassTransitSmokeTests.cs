using MassTransit;

namespace Evidence.IntegrationTests;

public sealed class MassTransitSmokeTests(TestScope<MassTransitSmokeTests> scope) : IClassFixture<TestScope<MassTransitSmokeTests>>
{
    public sealed record SmokePing(Guid Id);

    private sealed class SmokePingConsumer(TaskCompletionSource<SmokePing> received) : IConsumer<SmokePing>
    {
        public Task Consume(ConsumeContext<SmokePing> context)
        {
            received.TrySetResult(context.Message);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_published_message_is_consumed_over_rabbitmq()
    {
        var received = new TaskCompletionSource<SmokePing>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(scope.RabbitMq);
            cfg.ReceiveEndpoint($"{scope.Name}_ping", e => e.Consumer(() => new SmokePingConsumer(received)));
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bus.StartAsync(timeout.Token);
        try
        {
            var ping = new SmokePing(Guid.NewGuid());
            await bus.Publish(ping, timeout.Token);
            Assert.Equal(ping, await received.Task.WaitAsync(timeout.Token));
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
