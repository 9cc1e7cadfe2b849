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
        Map(outcome);
        // The web view's copies, read with its session rather than an API key.
        Map(app.MapGroup(Web.WebView.Root + "/reviews/{review}/outcomes/{outcome}").ExcludeFromDescription());
    }

    private static void Map(RouteGroupBuilder outcome)
    {
        outcome.MapGet("/snapshots/{version:long}/forest.{format:regex(^(svg|png)$)}", Forest).Produces(200, contentType: "image/svg+xml").ProducesProblem(404);
        outcome.MapGet("/snapshots/{version:long}/cumulative.{format:regex(^(svg|png)$)}", Cumulative).Produces(200, contentType: "image/svg+xml").ProducesProblem(404);
        outcome.MapGet("/snapshots/{version:long}/tsa.{format:regex(^(svg|png)$)}", Tsa).Produces(200, contentType: "image/svg+xml").ProducesProblem(404);
        outcome.MapGet("/history.{format:regex(^(svg|png)$)}", History).Produces(200, contentType: "image/svg+xml").ProducesProblem(404);
    }

    /// <summary>At most <see cref="PlotPage.MaxSize"/> studies per image (<c>?page=&amp;pageSize=</c>), with the pooled diamond on every page.</summary>
    private static async Task<IResult> Forest(
        string review, string outcome, long version, string format, int? page, int? pageSize, HttpContext http, IQuerySession session, StudiesOnReadCache studies, CancellationToken ct)
    {
        var paging = PlotPage.From(page, pageSize);
        var (name, snapshot) = await LoadAsync(http, session, studies, review, outcome, version, AnalysisDepth.Studies, ct);
        var (plot, height, total) = SnapshotPlots.Forest(snapshot, name, paging);
        Links(http, paging, total);
        return Image(plot, Style.Width, height, format);
    }

    /// <summary>At most <see cref="PlotPage.MaxSize"/> steps per image (<c>?page=&amp;pageSize=</c>).</summary>
    private static async Task<IResult> Cumulative(
        string review, string outcome, long version, string format, int? page, int? pageSize, HttpContext http, IQuerySession session, StudiesOnReadCache studies, CancellationToken ct)
    {
        var paging = PlotPage.From(page, pageSize);
        var (name, snapshot) = await LoadAsync(http, session, studies, review, outcome, version, AnalysisDepth.Full, ct);
        var (plot, height, total) = SnapshotPlots.Cumulative(snapshot, name, paging);
        Links(http, paging, total);
        return Image(plot, Style.Width, height, format);
    }

    /// <summary>The version's trial sequential analysis; 404 when the outcome had no sequential parameters at that version.</summary>
    private static async Task<IResult> Tsa(string review, string outcome, long version, string format, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        if (!current.Outcomes.TryGetValue(outcome, out var definition))
            throw new NotFoundException("Outcome", outcome);
        var snapshot = await SnapshotReader.LoadStoredAsync(session, review, outcome, version, ct);
        if (snapshot.Sequential is not { } section)
            return Results.Problem(statusCode: 404, title: "Not found.",
                detail: $"Outcome '{outcome}' has no sequential analysis at version {version}: it had no sequential parameters then.");
        return Image(TsaPlot.Render(definition.Name, version, section), Style.Width, TsaPlot.Height, format);
    }

    /// <summary>The neighbouring pages as <c>Link</c> (RFC 8288), and the number of rows in <c>Evidence-Plot-Rows</c>.</summary>
    private static void Links(HttpContext http, PlotPage page, int total)
    {
        http.Response.Headers["Evidence-Plot-Rows"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var links = new List<string>();
        if (page.Number > 1)
            links.Add($"<{http.Request.Path}?page={page.Number - 1}&pageSize={page.Size}>; rel=\"prev\"");
        if (page.Number < page.Count(total))
            links.Add($"<{http.Request.Path}?page={page.Number + 1}&pageSize={page.Size}>; rel=\"next\"");
        if (links.Count > 0)
            http.Response.Headers.Link = string.Join(", ", links);
    }

    private static async Task<IResult> History(string review, string outcome, string format, HttpContext http, IQuerySession session, StudiesOnReadCache studies, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        if (!current.Outcomes.TryGetValue(outcome, out var definition))
            throw new NotFoundException("Outcome", outcome);
        var head = await session.LoadAsync<SnapshotHead>(SnapshotHead.DocumentId(review, outcome), ct)
            ?? throw new NotFoundException("Snapshot of outcome", outcome);
        var latest = await SnapshotReader.LoadAsync(session, studies, review, outcome, head.Version, AnalysisDepth.Studies, ct);
        var events = await session.Events.FetchStreamAsync(StreamKeys.Snapshots(review, outcome), token: ct);
        var versions = events.Select(e => e.Data).OfType<SnapshotTaken>().Select(t => (t.Version, t.Cause, t.Summary)).ToList();
        return Image(HistoryChart.Render(definition.Name, SnapshotPlots.Scale(latest), versions), Style.Width, HistoryChart.Height, format);
    }

    private static async Task<(string Name, Snapshot Snapshot)> LoadAsync(
        HttpContext http, IQuerySession session, StudiesOnReadCache studies, string review, string outcome, long version, AnalysisDepth depth, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        if (!current.Outcomes.TryGetValue(outcome, out var definition))
            throw new NotFoundException("Outcome", outcome);
        return (definition.Name, await SnapshotReader.LoadAsync(session, studies, review, outcome, version, depth, ct));
    }

    private static IResult Image(Plot plot, int width, int height, string format) =>
        format == "png"
            ? Results.File(plot.GetImageBytes(width, height, ImageFormat.Png), "image/png")
            : Results.Text(plot.GetSvgXml(width, height), "image/svg+xml");
}
