using System.Collections.Concurrent;

namespace Evidence.Worker.Snapshots;

/// <summary>
/// How far behind the event log this worker's snapshots are. A catch-up marks the review pending from
/// its oldest unprocessed event until it commits; <see cref="Take"/> answers the largest age seen since
/// the last call, counting catch-ups still under way, so a long catch-up shows its lag while it runs.
/// </summary>
public sealed class SnapshotLagMeter(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> pending = new(StringComparer.Ordinal);
    private long largestTicks;

    /// <summary>The review's catch-up starts with events since <paramref name="oldest"/> to turn into versions.</summary>
    public void Begin(string review, DateTimeOffset oldest) => pending[review] = oldest;

    /// <summary>The review's catch-up has ended; its oldest event waited until now.</summary>
    public void End(string review)
    {
        if (pending.TryRemove(review, out var oldest))
            Record(clock.GetUtcNow() - oldest);
    }

    /// <summary>
    /// The review's catch-up failed on an event it cannot process: its age says nothing about the load,
    /// and counting it would have admission control slow every other review's writers.
    /// </summary>
    public void Abandon(string review) => pending.TryRemove(review, out _);

    /// <summary>The largest lag since the last call, in seconds, and starts a new interval.</summary>
    public double Take()
    {
        var now = clock.GetUtcNow();
        foreach (var oldest in pending.Values)
            Record(now - oldest);
        return TimeSpan.FromTicks(Interlocked.Exchange(ref largestTicks, 0)).TotalSeconds;
    }

    private void Record(TimeSpan lag)
    {
        var ticks = Math.Max(0, lag.Ticks);
        var seen = Interlocked.Read(ref largestTicks);
        while (ticks > seen)
        {
            var before = Interlocked.CompareExchange(ref largestTicks, ticks, seen);
            if (before == seen)
                return;
            seen = before;
        }
    }
}
