using Evidence.Api.Auth;
using Evidence.Api.Snapshots;
using Evidence.Domain;
using Evidence.Domain.Access;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Marten;

namespace Evidence.Api.Exports;

/// <summary>A review's analyses as a RevMan Web data package, as of a date.</summary>
public static class ExportEndpoints
{
    public static void MapExports(this IEndpointRouteBuilder app) =>
        app.MapGroup("/reviews/{review}").WithTags("Exports")
            .MapGet("/export.zip", Export).Produces(200, contentType: "application/zip").ProducesProblem(404);

    /// <summary>
    /// Every outcome's version in force at <c>asOf</c> (the last whose cause happened at or before it;
    /// the latest without <c>asOf</c>) in the data package layout (<see cref="DataPackageWriter"/>);
    /// outcomes without a version then are left out.
    /// </summary>
    private static async Task<IResult> Export(string review, DateTimeOffset? asOf, HttpContext http, IQuerySession session, StudiesOnReadCache studies, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        var outcomes = new List<(Outcome, Snapshot)>();
        foreach (var outcome in current.Outcomes.Values.OrderBy(o => o.Id, StringComparer.Ordinal))
        {
            var events = await session.Events.FetchStreamAsync(StreamKeys.Snapshots(review, outcome.Id), token: ct);
            var inForce = events.Select(e => e.Data).OfType<SnapshotTaken>().LastOrDefault(t => asOf is null || t.Cause.At <= asOf.Value);
            if (inForce is null)
                continue;
            outcomes.Add((outcome, await SnapshotReader.LoadAsync(session, studies, review, outcome.Id, inForce.Version, AnalysisDepth.Studies, ct)));
        }
        var name = asOf is null ? $"{review}-data-package.zip" : $"{review}-data-package-{asOf.Value.UtcDateTime:yyyyMMddTHHmmssZ}.zip";
        return Results.File(DataPackageWriter.Zip(review, current.Title, outcomes), "application/zip", name);
    }
}
