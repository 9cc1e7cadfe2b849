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
        DateTimeOffset? pendingSince = progress >= last ? null : await session.ReviewEvents(review)
            .Where(e => e.Sequence > progress).OrderBy(e => e.Sequence).Select(e => e.Timestamp).FirstOrDefaultAsync(ct);
        return Results.Json(new SnapshotStatus(review, last, progress, progress >= last, pendingSince), ApiJson.Options);
    }

    private static async Task<IResult> Rebuild(string review, HttpContext http, IQuerySession session, IOutcomeAnalyzer analyzer, CancellationToken ct)
    {
        // Recomputing every version is heavy: owners (and administrators) only.
        await Access.RequireAsync(http, session, review, Role.Owner);
        var events = await session.ReviewEvents(review)
            .OrderBy(e => e.Sequence).ToListAsync(ct);
        var stored = await session.Query<Snapshot>().Where(s => s.ReviewId == review).ToListAsync(ct);
        var report = SnapshotRebuild.Compare(review, events.Select(e => new LoggedEvent(e.Id, e.Sequence, e.Timestamp, e.Data)), stored.ToList(), analyzer);
        return Results.Json(report, ApiJson.Options);
    }

}
