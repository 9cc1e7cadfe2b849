using Evidence.Api.Auth;
using Evidence.Api.Snapshots;
using Evidence.Domain.Access;
using Evidence.Domain.Snapshots;
using Evidence.Domain;
using Marten;
using ScottPlot;

namespace Evidence.Api.Plots;

/// <summary>Plots of any snapshot version, as SVG or PNG, and the estimate-over-versions chart.</summary>
public static class PlotEndpoints
{
    public static void MapPlots(this IEndpointRouteBuilder app)
    {
        var outcome = app.MapGroup("/reviews/{review}/outcomes/{outcome}").WithTags("Plots");
        outcome.MapGet("/snapshots/{version:long}/forest.{format:regex(^(svg|png)$)}", Forest).Produces(200, contentType: "image/svg+xml").ProducesProblem(404);
        outcome.MapGet("/snapshots/{version:long}/cumulative.{format:regex(^(svg|png)$)}", Cumulative).Produces(200, contentType: "image/svg+xml").ProducesProblem(404);
        outcome.MapGet("/history.{format:regex(^(svg|png)$)}", History).Produces(200, contentType: "image/svg+xml").ProducesProblem(404);
    }

    private static async Task<IResult> Forest(string review, string outcome, long version, string format, HttpContext http, IQuerySession session, IOutcomeAnalyzer analyzer, CancellationToken ct)
    {
        var (name, snapshot) = await LoadAsync(http, session, analyzer, review, outcome, version, AnalysisDepth.Studies, ct);
        var (plot, height) = SnapshotPlots.Forest(snapshot, name);
        return Image(plot, Style.Width, height, format);
    }

    private static async Task<IResult> Cumulative(string review, string outcome, long version, string format, HttpContext http, IQuerySession session, IOutcomeAnalyzer analyzer, CancellationToken ct)
    {
        var (name, snapshot) = await LoadAsync(http, session, analyzer, review, outcome, version, AnalysisDepth.Full, ct);
        var (plot, height) = SnapshotPlots.Cumulative(snapshot, name);
        return Image(plot, Style.Width, height, format);
    }

    private static async Task<IResult> History(string review, string outcome, string format, HttpContext http, IQuerySession session, IOutcomeAnalyzer analyzer, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        if (!current.Outcomes.TryGetValue(outcome, out var definition))
            throw new NotFoundException("Outcome", outcome);
        var head = await session.LoadAsync<SnapshotHead>(SnapshotHead.DocumentId(review, outcome), ct)
            ?? throw new NotFoundException("Snapshot of outcome", outcome);
        var latest = await SnapshotReader.LoadAsync(session, analyzer, review, outcome, head.Version, AnalysisDepth.Studies, ct);
        var events = await session.Events.FetchStreamAsync(Snapshot.StreamKey(review, outcome), token: ct);
        var versions = events.Select(e => e.Data).OfType<SnapshotTaken>().Select(t => (t.Version, t.Cause, t.Summary)).ToList();
        return Image(HistoryChart.Render(definition.Name, SnapshotPlots.Scale(latest), versions), Style.Width, HistoryChart.Height, format);
    }

    private static async Task<(string Name, Snapshot Snapshot)> LoadAsync(
        HttpContext http, IQuerySession session, IOutcomeAnalyzer analyzer, string review, string outcome, long version, AnalysisDepth depth, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        if (!current.Outcomes.TryGetValue(outcome, out var definition))
            throw new NotFoundException("Outcome", outcome);
        return (definition.Name, await SnapshotReader.LoadAsync(session, analyzer, review, outcome, version, depth, ct));
    }

    private static IResult Image(Plot plot, int width, int height, string format) =>
        format == "png"
            ? Results.File(plot.GetImageBytes(width, height, ImageFormat.Png), "image/png")
            : Results.Text(plot.GetSvgXml(width, height), "image/svg+xml");
}
