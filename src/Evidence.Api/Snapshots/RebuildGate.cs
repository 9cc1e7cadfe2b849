using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Evidence.Domain;

namespace Evidence.Api.Snapshots;

/// <summary>
/// How many rebuilds run at once. A rebuild recomputes every version of a review, so it costs CPU in
/// proportion to the review's history: one per review at a time (a second is answered 409), at most
/// <c>Rebuild:Concurrency</c> (default the number of cores: a rebuild runs on one) across reviews in a process, and at most
/// <c>Rebuild:QueueLimit</c> (default 16) waiting for their turn (beyond it, 429 with <c>Retry-After</c>).
/// </summary>
public sealed class RebuildGate : IDisposable
{
    private readonly ConcurrencyLimiter limiter;
    private readonly ConcurrentDictionary<string, byte> running = new(StringComparer.Ordinal);

    public RebuildGate(IConfiguration configuration)
    {
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, configuration.GetValue("Rebuild:Concurrency", Environment.ProcessorCount)),
            QueueLimit = Math.Max(0, configuration.GetValue("Rebuild:QueueLimit", 16)),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>
    /// Waits for a turn for <paramref name="review"/>; dispose the result when the rebuild is done.
    /// Null when the queue is full.
    /// </summary>
    /// <exception cref="ConflictException">A rebuild of the review is already running.</exception>
    public async Task<IDisposable?> EnterAsync(string review, CancellationToken ct)
    {
        if (!running.TryAdd(review, 0))
            throw new ConflictException($"A rebuild of review '{review}' is already running; retry when it is done.");
        try
        {
            var lease = await limiter.AcquireAsync(1, ct);
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                running.TryRemove(review, out _);
                return null;
            }
            return new Turn(this, review, lease);
        }
        catch
        {
            running.TryRemove(review, out _);
            throw;
        }
    }

    public void Dispose() => limiter.Dispose();

    private sealed class Turn(RebuildGate gate, string review, RateLimitLease lease) : IDisposable
    {
        public void Dispose()
        {
            lease.Dispose();
            gate.running.TryRemove(review, out _);
        }
    }
}
