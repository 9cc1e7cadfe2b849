using JasperFx.Events;
using Marten;

namespace Evidence.Domain;

/// <summary>The one query for a review's events: its own stream's and its trials' (not its snapshots'), by sequence.</summary>
public static class ReviewEventQueries
{
    /// <summary>
    /// The review's events with a sequence in (<paramref name="after"/>, <paramref name="upTo"/>],
    /// unordered, to be ordered, paged or counted by the caller.
    /// </summary>
    public static IQueryable<IEvent> ReviewEvents(this IQuerySession session, string review, long after = 0, long upTo = long.MaxValue)
    {
        var trials = StreamKeys.Trial(review, "");
        var own = StreamKeys.Review(review);
        var events = session.Events.QueryAllRawEvents().Where(e => e.StreamKey == own || e.StreamKey!.StartsWith(trials));
        if (after > 0)
            events = events.Where(e => e.Sequence > after);
        if (upTo < long.MaxValue)
            events = events.Where(e => e.Sequence <= upTo);
        return events;
    }

    /// <summary>
    /// The review's events with a sequence in (<paramref name="after"/>, <paramref name="upTo"/>] in commit
    /// order, at most <paramref name="limit"/> of them when given.
    /// </summary>
    public static async Task<IReadOnlyList<IEvent>> ReviewEventsAsync(
        this IQuerySession session, string review, long after, long upTo, CancellationToken ct, int? limit = null)
    {
        var events = session.ReviewEvents(review, after, upTo).OrderBy(e => e.Sequence);
        return limit is { } n ? await events.Take(n).ToListAsync(ct) : await events.ToListAsync(ct);
    }
}
