using System.Collections.Concurrent;
using MassTransit;

namespace Evidence.IntegrationTests;

/// <summary>A test's own subscriber on the broker: every <typeparamref name="T"/> published while it runs is kept.</summary>
public sealed class Listener<T> : IAsyncDisposable where T : class
{
    private readonly IBusControl bus;

    private Listener(IBusControl bus) => this.bus = bus;

    public ConcurrentQueue<T> Received { get; } = new();

    public static async Task<Listener<T>> StartAsync(Uri rabbitMq)
    {
        Listener<T>? listener = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(rabbitMq);
            cfg.ReceiveEndpoint($"listener-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Handler<T>(context =>
                {
                    listener!.Received.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        listener = new Listener<T>(bus);
        await bus.StartAsync();
        return listener;
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received, or the time is up.</summary>
    public async Task WaitAsync(Func<IReadOnlyCollection<T>, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!done(Received) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
    }

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
