using Evidence.Api.Auth;
using Evidence.Api.Http;
using Evidence.Domain.Access;
using Evidence.Domain.Snapshots;
using Evidence.Domain;
using Marten;

namespace Evidence.Api.Snapshots;

/// <summary>How far the snapshots of a review have caught up, and a rebuild that checks every stored version.</summary>
public static class RebuildEndpoints
{
    /// <summary>
    /// The last event of the review, the point up to which its snapshots are written, and when the
    /// oldest event not yet reflected was committed (null when caught up): the snapshots' lag.
    /// </summary>
    public sealed record SnapshotStatus(string ReviewId, long LastEventSequence, long SnapshotsUpTo, bool CaughtUp, DateTimeOffset? PendingSince);

    public static void MapRebuild(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reviews/{review}/snapshots/status", Status).WithTags("Snapshots").Produces<SnapshotStatus>().ProducesProblem(404);
        app.MapGet("/reviews/{review}/rebuild", Rebuild).WithTags("Snapshots").Produces<RebuildReport>().ProducesProblem(404)
            .WithSummary("Recomputes every snapshot from the events with the current engine and reports each difference; stores nothing.");
    }

    private static async Task<IResult> Status(string review, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        await Access.RequireAsync(http, session, review, Role.Viewer);
        var last = await session.ReviewEvents(review)
            .OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync(ct);
        var progress = (await session.LoadAsync<SnapshotProgress>(review, ct))?.Sequence ?? 0;
        DateTimeOffset? pendingSince = progress >= last ? null : await session.ReviewEvents(review, after: progress)
            .OrderBy(e => e.Sequence).Select(e => e.Timestamp).FirstOrDefaultAsync(ct);
        return Results.Json(new SnapshotStatus(review, last, progress, progress >= last, pendingSince), ApiJson.Options);
    }

    private static async Task<IResult> Rebuild(string review, HttpContext http, IQuerySession session, IOutcomeAnalyzer analyzer, RebuildGate gate, CancellationToken ct)
    {
        // Recomputing every version is heavy: owners (and administrators) only, and few at a time.
        await Access.RequireAsync(http, session, review, Role.Owner);
        using var turn = await gate.EnterAsync(review, ct);
        if (turn is null)
        {
            http.Response.Headers.RetryAfter = "10";
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many rebuilds.",
                detail: "Too many rebuilds are running or waiting; retry later.");
        }
        return Results.Json(await RebuildAsync(review, session, analyzer, ct), ApiJson.Options);
    }

    /// <summary>
    /// Feeds the review's events into the recomputation a page at a time and checks the recomputed
    /// versions against the stored ones a batch at a time, so the request holds the folded log, one
    /// page, one batch and the listed differences, never the review's whole history. Every query is
    /// short: the daemon's high-water mark does not pass a sequence gap while any statement that began
    /// before it still runs, so one statement streaming a large review for a minute would hold every
    /// review's snapshots for that minute.
    /// </summary>
    private static async Task<RebuildReport> RebuildAsync(string review, IQuerySession session, IOutcomeAnalyzer analyzer, CancellationToken ct)
    {
        const int batch = 256;
        const int page = 2000;
        var rebuild = new SnapshotRebuild(review, analyzer);
        var pending = new List<Snapshot>(batch);
        async Task CheckPendingAsync()
        {
            var stored = (await session.LoadManyAsync<Snapshot>(ct, pending.Select(s => s.Id))).ToDictionary(s => s.Id, StringComparer.Ordinal);
            foreach (var snapshot in pending)
                rebuild.Check(snapshot, stored.GetValueOrDefault(snapshot.Id));
            pending.Clear();
        }

        for (var after = 0L; ;)
        {
            var events = await session.ReviewEventsAsync(review, after, long.MaxValue, ct, limit: page);
            foreach (var e in events)
            {
                pending.AddRange(rebuild.Recompute(new LoggedEvent(e.Id, e.Sequence, e.Timestamp, e.Data)));
                if (pending.Count >= batch)
                    await CheckPendingAsync();
            }
            if (events.Count < page)
                break;
            after = events[^1].Sequence;
        }
        await CheckPendingAsync();

        var outcomes = await session.Query<Snapshot>().Where(s => s.ReviewId == review).Select(s => s.OutcomeId).Distinct().ToListAsync(ct);
        foreach (var outcome in outcomes)
        {
            var rebuilt = rebuild.Versions.GetValueOrDefault(outcome);
            var extras = session.Query<Snapshot>().Where(s => s.ReviewId == review && s.OutcomeId == outcome && s.Version > rebuilt);
            var listed = await extras.OrderBy(s => s.Version).Take(SnapshotRebuild.MaxVersionsReported).ToListAsync(ct);
            foreach (var extra in listed)
                rebuild.Extra(extra);
            if (listed.Count == SnapshotRebuild.MaxVersionsReported)
                rebuild.Extras(await extras.CountAsync(ct) - listed.Count);
        }
        return rebuild.Report();
    }
}
