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
    private static Task<IResult> Forest(string review, string outcome, long version, string format, int? page, int? pageSize, HttpContext http, IQuerySession session,
        StudiesOnReadCache studies, RenderedVersions rendered, CancellationToken ct) =>
        PagedAsync(http, session, studies, rendered, review, outcome, version, format, PlotPage.From(page, pageSize), AnalysisDepth.Studies, "forest", SnapshotPlots.Forest, ct);

    /// <summary>At most <see cref="PlotPage.MaxSize"/> steps per image (<c>?page=&amp;pageSize=</c>).</summary>
    private static Task<IResult> Cumulative(string review, string outcome, long version, string format, int? page, int? pageSize, HttpContext http, IQuerySession session,
        StudiesOnReadCache studies, RenderedVersions rendered, CancellationToken ct) =>
        PagedAsync(http, session, studies, rendered, review, outcome, version, format, PlotPage.From(page, pageSize), AnalysisDepth.Full, "cumulative", SnapshotPlots.Cumulative, ct);

    /// <summary>
    /// One page of a version's plot with its <c>ETag</c>; a large version's image is kept as drawn,
    /// keyed also by the outcome's name (in its title), the format and the page.
    /// </summary>
    private static async Task<IResult> PagedAsync(HttpContext http, IQuerySession session, StudiesOnReadCache studies, RenderedVersions rendered,
        string review, string outcome, long version, string format, PlotPage paging, AnalysisDepth depth, string kind,
        Func<Snapshot, string, PlotPage, (Plot Plot, int Height, int Total)> draw, CancellationToken ct)
    {
        var name = await OutcomeNameAsync(http, session, review, outcome, ct);
        var stored = await SnapshotReader.LoadStoredAsync(session, review, outcome, version, ct);
        var answer = await rendered.GetAsync(stored, $"{kind}.{format}?page={paging.Number}&pageSize={paging.Size}&name={name}", async () =>
        {
            var (plot, height, total) = draw(await studies.CompleteAsync(stored, depth, ct), name, paging);
            var (body, type) = Image(plot, Style.Width, height, format);
            return (body, type, total);
        });
        Links(http, paging, answer.Rows ?? 0);
        return RenderedVersions.Send(http, answer);
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
        var (body, type) = Image(TsaPlot.Render(definition.Name, version, section), Style.Width, TsaPlot.Height, format);
        return Results.File(body, type);
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

    /// <summary>The estimate over the versions: drawn once per newest version (and name and format), then sent as drawn.</summary>
    private static async Task<IResult> History(string review, string outcome, string format, HttpContext http, IQuerySession session, StudiesOnReadCache studies,
        RenderedVersions rendered, CancellationToken ct)
    {
        var name = await OutcomeNameAsync(http, session, review, outcome, ct);
        var head = await session.LoadAsync<SnapshotHead>(SnapshotHead.DocumentId(review, outcome), ct)
            ?? throw new NotFoundException("Snapshot of outcome", outcome);
        var stored = await SnapshotReader.LoadStoredAsync(session, review, outcome, head.Version, ct);
        var answer = await rendered.GetAsync(stored, $"history.{format}?name={name}", async () =>
        {
            var latest = await studies.CompleteAsync(stored, AnalysisDepth.Studies, ct);
            var events = await session.Events.FetchStreamAsync(StreamKeys.Snapshots(review, outcome), token: ct);
            var versions = events.Select(e => e.Data).OfType<SnapshotTaken>().Where(t => t.Version <= stored.Version).Select(t => (t.Version, t.Cause, t.Summary)).ToList();
            var (body, type) = Image(HistoryChart.Render(name, SnapshotPlots.Scale(latest), versions), Style.Width, HistoryChart.Height, format);
            return (body, type, (int?)null);
        }, always: true);
        return RenderedVersions.Send(http, answer);
    }

    private static async Task<string> OutcomeNameAsync(HttpContext http, IQuerySession session, string review, string outcome, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        return current.Outcomes.TryGetValue(outcome, out var definition) ? definition.Name : throw new NotFoundException("Outcome", outcome);
    }

    private static (byte[] Body, string ContentType) Image(Plot plot, int width, int height, string format) =>
        format == "png"
            ? (plot.GetImageBytes(width, height, ImageFormat.Png), "image/png")
            : (System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(width, height)), "image/svg+xml");
}
