using Evidence.Api.AuditTrail;
using Evidence.Api.Auth;
using Evidence.Api.Http;
using Evidence.Domain.Access;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Validation;
using Evidence.Domain;
using Marten;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Evidence.Api.Snapshots;

/// <summary>Reading an outcome's pooled-estimate versions: the list, one version, the one in force at a date, and diffs.</summary>
public static class SnapshotEndpoints
{
    /// <summary>
    /// A version in the list: its cause, headline numbers, flags and signals, and when it was committed
    /// (the store's clock; <c>takenAt - cause.at</c> is the command-to-snapshot latency).
    /// </summary>
    public sealed record SnapshotListItem(long Version, SnapshotCause Cause, SnapshotSummary Summary, ChangeFlags Flags, DateTimeOffset TakenAt,
        IReadOnlyList<Domain.Judgement.Signal> Signals);

    /// <summary>
    /// The diff between two versions with the events of the review between their causes; why the
    /// estimate moved, event by event (null, with <see cref="AttributionOmitted"/> saying why, when more
    /// than <see cref="ChangeAttribution.MaxVersions"/> versions lie between); and each included trial's
    /// influence on the <c>to</c> version (leave-one-out), the largest first.
    /// </summary>
    public sealed record ChangesView(SnapshotDiff Diff, IReadOnlyList<EventView> Events,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ChangeAttribution? Attribution, string? AttributionOmitted, IReadOnlyList<StudyInfluence>? Influence);

    public static void MapSnapshots(this IEndpointRouteBuilder app)
    {
        var outcome = app.MapGroup("/reviews/{review}/outcomes/{outcome}").WithTags("Snapshots");
        outcome.MapGet("/snapshots", List).Produces<IReadOnlyList<SnapshotListItem>>().Produces<Snapshot>().ProducesProblem(404);
        outcome.MapGet("/snapshots/latest", Latest).Produces<Snapshot>().ProducesProblem(404);
        outcome.MapGet("/snapshots/{version:long}", ByVersion).Produces<Snapshot>().ProducesProblem(404);
        outcome.MapGet("/changes", Changes).Produces<ChangesView>().ProducesValidationProblem().ProducesProblem(404);
    }

    /// <summary>Every version with its cause and summary; with <c>asOf</c>, the whole version in force at that instant.</summary>
    private static async Task<IResult> List(string review, string outcome, DateTimeOffset? asOf, HttpContext http, IQuerySession session, StudiesOnReadCache studies,
        RenderedVersions rendered, CancellationToken ct)
    {
        var versions = await VersionsAsync(http, session, review, outcome, ct);
        if (asOf is null)
            return Results.Json(versions, ApiJson.Options);
        var inForce = versions.LastOrDefault(v => v.Cause.At <= asOf.Value)
            ?? throw new NotFoundException("Snapshot in force at", asOf.Value.ToString("O"));
        return await WholeAsync(http, session, studies, rendered, review, outcome, inForce.Version, ct);
    }

    private static async Task<IResult> Latest(string review, string outcome, HttpContext http, IQuerySession session, StudiesOnReadCache studies, RenderedVersions rendered,
        CancellationToken ct)
    {
        await Access.RequireAsync(http, session, review, Role.Viewer);
        var head = await session.LoadAsync<SnapshotHead>(SnapshotHead.DocumentId(review, outcome), ct)
            ?? throw new NotFoundException("Snapshot of outcome", outcome);
        return await WholeAsync(http, session, studies, rendered, review, outcome, head.Version, ct);
    }

    private static async Task<IResult> ByVersion(string review, string outcome, long version, HttpContext http, IQuerySession session, StudiesOnReadCache studies,
        RenderedVersions rendered, CancellationToken ct)
    {
        await Access.RequireAsync(http, session, review, Role.Viewer);
        return await WholeAsync(http, session, studies, rendered, review, outcome, version, ct);
    }

    /// <summary>The whole version as JSON with its <c>ETag</c>; a large one's bytes are kept for the next read.</summary>
    private static async Task<IResult> WholeAsync(HttpContext http, IQuerySession session, StudiesOnReadCache studies, RenderedVersions rendered,
        string review, string outcome, long version, CancellationToken ct)
    {
        var stored = await SnapshotReader.LoadStoredAsync(session, review, outcome, version, ct);
        var answer = await rendered.GetAsync(stored, "json", async () =>
            (JsonSerializer.SerializeToUtf8Bytes(await studies.CompleteAsync(stored, AnalysisDepth.Full, ct), ApiJson.Options), "application/json; charset=utf-8", null));
        return RenderedVersions.Send(http, answer);
    }

    private static async Task<IResult> Changes(string review, string outcome, long? from, long? to, HttpContext http, IQuerySession session, StudiesOnReadCache studies,
        IOutcomeAnalyzer analyzer, CancellationToken ct) =>
        Results.Json(await ChangesAsync(review, outcome, from, to, http, session, studies, analyzer, ct), ApiJson.Options);

    /// <summary>The diff of versions <paramref name="from"/> and <paramref name="to"/> with its attribution (400 naming a bad version number).</summary>
    public static async Task<ChangesView> ChangesAsync(string review, string outcome, long? from, long? to, HttpContext http, IQuerySession session, StudiesOnReadCache studies,
        IOutcomeAnalyzer analyzer, CancellationToken ct)
    {
        await Access.RequireAsync(http, session, review, Role.Viewer);
        var errors = new FieldErrors();
        if (from is null or < 1)
            errors.Add("from", "must be a version, 1 or more.");
        if (to is null or < 1)
            errors.Add("to", "must be a version, 1 or more.");
        else if (from >= to)
            errors.Add("to", "must be a later version than 'from'.");
        errors.ThrowIfAny();

        var a = await SnapshotReader.LoadAsync(session, studies, review, outcome, from!.Value, AnalysisDepth.Studies, ct);
        // Full: the influence is the leave-one-out section, computed (and kept) for a large version.
        var b = await SnapshotReader.LoadAsync(session, studies, review, outcome, to!.Value, AnalysisDepth.Full, ct);
        var events = await session.ReviewEventsAsync(review, a.Cause.Sequence, b.Cause.Sequence, ct);
        var omitted = ChangeAttribution.Refusal(a.Version, b.Version);
        // The replay analyses the outcome once per version between: it waits for a turn like the computation of a large version.
        var attribution = omitted is null ? await studies.InTurnAsync(() => AttributeAsync(session, analyzer, a, b, ct), ct) : null;
        return new ChangesView(SnapshotDiff.Between(a, b), events.Select(e => EventView.From(e)).ToList(),
            attribution, omitted, StudyInfluence.Of(b.Analysis()));
    }

    /// <summary>
    /// Replays the review's log up to the cause of <paramref name="to"/> a page at a time, each query
    /// short (as a rebuild reads it), so the request holds the folded log and one page.
    /// </summary>
    private static async Task<ChangeAttribution> AttributeAsync(IQuerySession session, IOutcomeAnalyzer analyzer, Snapshot from, Snapshot to, CancellationToken ct)
    {
        const int page = 2000;
        var replay = new ChangeReplay(from, to, analyzer);
        for (var after = 0L; !replay.Done;)
        {
            var events = await session.ReviewEventsAsync(from.ReviewId, after, to.Cause.Sequence, ct, limit: page);
            foreach (var e in events)
                replay.Apply(new LoggedEvent(e.Id, e.Sequence, e.Timestamp, e.Data));
            if (events.Count < page)
                break;
            after = events[^1].Sequence;
        }
        return replay.Result();
    }

    /// <summary>Every version of the outcome, oldest first (404 for an outcome or review the caller cannot see).</summary>
    public static async Task<IReadOnlyList<SnapshotListItem>> VersionsAsync(HttpContext http, IQuerySession session, string review, string outcome, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        if (!current.Outcomes.ContainsKey(outcome))
            throw new NotFoundException("Outcome", outcome);
        var events = await session.Events.FetchStreamAsync(StreamKeys.Snapshots(review, outcome), token: ct);
        return events.Where(e => e.Data is SnapshotTaken)
            .Select(e => (Taken: (SnapshotTaken)e.Data, e.Timestamp))
            .Select(x => new SnapshotListItem(x.Taken.Version, x.Taken.Cause, x.Taken.Summary, x.Taken.Flags, x.Timestamp, x.Taken.Signals ?? []))
            .ToList();
    }
}
