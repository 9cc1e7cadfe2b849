using Evidence.Api.Auth;
using Evidence.Api.Http;
using Evidence.Api.Trials;
using Evidence.Domain.Access;
using Evidence.Domain.Trials;
using Evidence.Domain;
using Marten;

namespace Evidence.Api.AuditTrail;

/// <summary>The history of one trial and the paged audit log of a review.</summary>
public static class AuditEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static void MapAuditTrail(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reviews/{review}/trials/{trial}/history", GetTrialHistory).WithTags("Audit trail")
            .Produces<IReadOnlyList<EventView>>().ProducesProblem(404);
        app.MapGet("/reviews/{review}/events", GetReviewEvents).WithTags("Audit trail")
            .Produces<AuditPage>().ProducesValidationProblem().ProducesProblem(404);
    }

    private static async Task<IResult> GetTrialHistory(string review, string trial, HttpContext http, IQuerySession session, CancellationToken ct) =>
        Results.Json(await TrialHistoryAsync(review, trial, http, session, ct), ApiJson.Options);

    /// <summary>Every event of the trial, oldest first, each with the fields it changed (old -> new).</summary>
    public static async Task<IReadOnlyList<EventView>> TrialHistoryAsync(string review, string trial, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        await Access.RequireAsync(http, session, review, Role.Viewer);
        await TrialEndpoints.Load(session, review, trial, ct);
        var events = await session.Events.FetchStreamAsync(StreamKeys.Trial(review, trial), token: ct);
        var history = new List<EventView>(events.Count);
        Trial? state = null;
        foreach (var e in events)
        {
            var trialEvent = (ITrialEvent)e.Data;
            history.Add(EventView.From(e, TrialHistory.Changes(state, trialEvent)));
            state = Trial.Evolve(state, trialEvent);
        }
        return history;
    }

    /// <summary>One page of a review's events in commit order; pass <c>next</c> back as <c>after</c>.</summary>
    public sealed record AuditPage(IReadOnlyList<EventView> Events, long? Next);

    private static async Task<IResult> GetReviewEvents(
        string review, long? after, int? limit, string? trial, string? type, DateTimeOffset? from, DateTimeOffset? to,
        HttpContext http, IQuerySession session, CancellationToken ct) =>
        Results.Json(await EventsAsync(review, after, limit, trial, type, from, to, http, session, ct), ApiJson.Options);

    /// <summary>The names <c>type</c> takes: the review's event types.</summary>
    public static IEnumerable<string> EventTypeNames => EvidenceStore.EventTypes.Select(t => t.Name);

    /// <summary>One page of the review's events matching the filters (400 naming each bad one).</summary>
    public static async Task<AuditPage> EventsAsync(
        string review, long? after, int? limit, string? trial, string? type, DateTimeOffset? from, DateTimeOffset? to,
        HttpContext http, IQuerySession session, CancellationToken ct)
    {
        await Access.RequireAsync(http, session, review, Role.Viewer);
        var errors = new Domain.Validation.FieldErrors();
        if (limit is < 1 or > MaxLimit)
            errors.Add("limit", $"must be between 1 and {MaxLimit}.");
        var eventType = type is null ? null : EvidenceStore.EventTypes.FirstOrDefault(t => t.Name == type);
        if (type is not null && eventType is null)
            errors.Add("type", $"must be one of {string.Join(", ", EvidenceStore.EventTypes.Select(t => t.Name))}.");
        if (trial is not null && !Domain.Validation.Rules.IsSlug(trial))
            errors.Add("trial", "must be a trial id.");
        errors.ThrowIfAny();

        var take = limit ?? DefaultLimit;
        var floor = after ?? 0;
        var trialStream = trial is null ? null : StreamKeys.Trial(review, trial);
        var query = trialStream is null
            ? session.ReviewEvents(review, after: floor)
            : session.Events.QueryAllRawEvents().Where(e => e.Sequence > floor && e.StreamKey == trialStream);
        if (eventType is not null)
        {
            var alias = EventAlias(eventType);
            query = query.Where(e => e.EventTypeName == alias);
        }
        if (from is not null)
            query = query.Where(e => e.Timestamp >= from.Value);
        if (to is not null)
            query = query.Where(e => e.Timestamp < to.Value);
        var page = await query.OrderBy(e => e.Sequence).Take(take + 1).ToListAsync(ct);
        var events = page.Take(take).Select(e => EventView.From(e)).ToList();
        return new AuditPage(events, page.Count > take ? events[^1].Sequence : null);
    }

    /// <summary>Marten's default event alias: the type name in snake case (TrialRecorded -> trial_recorded).</summary>
    private static string EventAlias(Type type) =>
        string.Concat(type.Name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
