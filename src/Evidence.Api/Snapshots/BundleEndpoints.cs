using Evidence.Api.Auth;
using Evidence.Domain;
using Evidence.Domain.Access;
using Evidence.Domain.Bundles;
using Evidence.Domain.Snapshots;
using Marten;

namespace Evidence.Api.Snapshots;

/// <summary>A version's reproducibility bundle: its data, settings, result, events and an R script that recomputes it.</summary>
public static class BundleEndpoints
{
    /// <summary>The review's log is read in pages of this many events, so no query runs long.</summary>
    private const int Page = 2_000;

    public static void MapBundles(this IEndpointRouteBuilder app) =>
        app.MapGet("/reviews/{review}/outcomes/{outcome}/snapshots/{version:long}/bundle.zip", Bundle).WithTags("Snapshots")
            .Produces(200, contentType: "application/zip").ProducesProblem(404);

    /// <summary>
    /// <c>data.csv</c>, <c>settings.json</c>, <c>analysis.R</c>, <c>result.json</c>,
    /// <c>events.jsonl</c> and <c>manifest.json</c> (see <see cref="AnalysisBundle"/>). A version
    /// stored without its per-study sections gets them computed, as every read of it does.
    /// </summary>
    private static async Task<IResult> Bundle(
        string review, string outcome, long version, HttpContext http, IQuerySession session, StudiesOnReadCache studies, IOutcomeAnalyzer analyzer, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        if (!current.Outcomes.ContainsKey(outcome))
            throw new NotFoundException("Outcome", outcome);
        var snapshot = await SnapshotReader.LoadAsync(session, studies, review, outcome, version, AnalysisDepth.Full, ct);
        var log = new List<LoggedEvent>();
        for (var after = 0L; after < snapshot.Cause.Sequence;)
        {
            var page = await session.ReviewEventsAsync(review, after, snapshot.Cause.Sequence, ct, limit: Page);
            if (page.Count == 0)
                break;
            log.AddRange(page.Select(e => new LoggedEvent(e.Id, e.Sequence, e.Timestamp, e.Data)));
            after = page[^1].Sequence;
        }
        var files = SnapshotBundle.Files(snapshot, log, analyzer.EngineVersion);
        return Results.File(AnalysisBundle.Zip(files), "application/zip", $"{review}-{outcome}-v{version}.zip");
    }
}
