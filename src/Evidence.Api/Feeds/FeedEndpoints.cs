using Evidence.Api.Auth;
using Evidence.Api.Http;
using Evidence.Domain.Access;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Validation;
using Marten;

namespace Evidence.Api.Feeds;

/// <summary>A review's signals as an Atom feed, for feed readers and anyone who polls.</summary>
public static class FeedEndpoints
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    public static void MapFeeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reviews/{review}/feed.atom", Feed).WithTags("Feeds")
            .Produces(200, contentType: AtomFeed.MediaType).ProducesValidationProblem().ProducesProblem(404);
    }

    /// <summary>
    /// The versions of every outcome that raised signals, newest first (by their cause's place in
    /// the log), at most <c>limit</c>. Read with the review's own rules: anonymous for a public
    /// review, and a private one answers as a missing one to anyone who is not a member.
    /// </summary>
    private static async Task<IResult> Feed(string review, string? limit, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        var errors = new FieldErrors();
        var take = QueryLimit.Parse(errors, "limit", limit, DefaultLimit, MaxLimit);
        errors.ThrowIfAny();

        var versions = await session.Query<Snapshot>()
            .Where(s => s.ReviewId == review && s.Signals != null && s.Signals.Any())
            .OrderByDescending(s => s.Cause.Sequence).ThenBy(s => s.OutcomeId)
            .Take(take)
            .Select(s => new SignalledVersion(s.OutcomeId, s.Version, s.Cause, s.Signals!))
            .ToListAsync(ct);

        var request = http.Request;
        var origin = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var self = $"{origin}{request.Path}{request.QueryString}";
        return Results.Bytes(AtomFeed.Write(current, versions, origin, self), $"{AtomFeed.MediaType}; charset=utf-8");
    }
}
