using System.Linq.Expressions;
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
        var events = session.Events.QueryAllRawEvents()
            .Where(Bound((IEvent e, string own, string trials) => e.StreamKey == own || e.StreamKey!.StartsWith(trials), StreamKeys.Review(review), StreamKeys.Trial(review, "")));
        if (after > 0)
            events = events.Where(Bound((IEvent e, long floor) => e.Sequence > floor, after));
        if (upTo < long.MaxValue)
            events = events.Where(Bound((IEvent e, long ceiling) => e.Sequence <= ceiling, upTo));
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

    // Marten reads a variable captured by a predicate by compiling a delegate for it, every query: a
    // dynamic method (and its finalizer) per value, which was a quarter of the worker's CPU under load.
    // A constant it reads as it is, so the values go into the predicate as constants.
    private static Expression<Func<IEvent, bool>> Bound<T>(Expression<Func<IEvent, T, bool>> predicate, T value) =>
        Expression.Lambda<Func<IEvent, bool>>(Substitute(predicate.Body, (predicate.Parameters[1], value)), predicate.Parameters[0]);

    private static Expression<Func<IEvent, bool>> Bound<T1, T2>(Expression<Func<IEvent, T1, T2, bool>> predicate, T1 first, T2 second) =>
        Expression.Lambda<Func<IEvent, bool>>(Substitute(predicate.Body, (predicate.Parameters[1], first), (predicate.Parameters[2], second)), predicate.Parameters[0]);

    private static Expression Substitute(Expression body, params (ParameterExpression Parameter, object? Value)[] values) =>
        new ConstantBinder(values.ToDictionary(v => v.Parameter, v => (Expression)Expression.Constant(v.Value, v.Parameter.Type))).Visit(body);

    private sealed class ConstantBinder(Dictionary<ParameterExpression, Expression> constants) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => constants.GetValueOrDefault(node) ?? node;
    }
}
