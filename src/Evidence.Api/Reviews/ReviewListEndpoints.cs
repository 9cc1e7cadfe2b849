using Evidence.Api.Auth;
using Evidence.Api.Http;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Validation;
using Marten;
using Marten.Linq.MatchesSql;

namespace Evidence.Api.Reviews;

/// <summary>Listing the reviews the caller can see, each outcome with its newest estimate.</summary>
public static class ReviewListEndpoints
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    // Ordered byte-wise whatever the database's collation, so that `after` and the order agree everywhere.
    private const string IdOrder = "d.id collate \"C\"";

    public static void MapReviewList(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reviews", List).WithTags("Reviews").Produces<ReviewPage>().ProducesValidationProblem().ProducesProblem(401);
    }

    /// <summary>
    /// The reviews the caller can see, in id order: without a key the public ones; with one, also
    /// those they are a member of (an administrator: all). Visibility is decided in the query, so
    /// a review the caller cannot see is never read, listed or counted. Two queries per page: the
    /// reviews, then their outcomes' newest versions.
    /// </summary>
    private static async Task<IResult> List(string? limit, string? after, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var take = QueryLimit.Parse(errors, "limit", limit, DefaultLimit, MaxLimit);
        if (after is not null && !Rules.IsSlug(after))
            errors.Add("after", "must be a review id, as given in 'next'.");
        errors.ThrowIfAny();
        return Results.Json(await PageAsync(http, session, take, after, ct), ApiJson.Options);
    }

    /// <summary>One review the caller can see, as it appears in the list (404 as for any read of it otherwise).</summary>
    public static async Task<ReviewListItem> OneAsync(HttpContext http, IQuerySession session, string review, CancellationToken ct)
    {
        var current = await Access.RequireAsync(http, session, review, Domain.Access.Role.Viewer);
        var heads = await session.Query<SnapshotHead>().Where(h => h.ReviewId == current.Id).ToListAsync(ct);
        return ReviewListItem.From(current, Access.UserOrAnonymous(http), heads.ToDictionary(h => h.Id, StringComparer.Ordinal));
    }

    /// <summary>A page of at most <paramref name="take"/> reviews the caller can see, after the review <paramref name="after"/>.</summary>
    public static async Task<ReviewPage> PageAsync(HttpContext http, IQuerySession session, int take, string? after, CancellationToken ct)
    {
        var user = Access.UserOrAnonymous(http);

        // One MatchesSql with every condition, whose placeholders take the parameters in order.
        var conditions = new List<string>();
        var parameters = new List<object>();
        if (user is null)
            conditions.Add("(d.data ->> 'isPublic')::boolean");
        else if (!Access.IsAdministrator(http))
        {
            conditions.Add("((d.data ->> 'isPublic')::boolean or d.data -> 'members' ? ^)");
            parameters.Add(user);
        }
        if (after is not null)
        {
            conditions.Add($"{IdOrder} > ^");
            parameters.Add(after);
        }
        var query = session.Query<Review>().AsQueryable();
        if (conditions.Count > 0)
        {
            var sql = string.Join(" and ", conditions);
            var values = parameters.ToArray();
            query = query.Where(r => r.MatchesSql('^', sql, values));
        }
        var page = await query.OrderBySql(IdOrder).Take(take + 1).ToListAsync(ct);
        var reviews = page.Take(take).ToList();

        var ids = reviews.Select(r => r.Id).ToArray();
        var heads = ids.Length == 0 ? [] : await session.Query<SnapshotHead>().Where(h => ids.Contains(h.ReviewId)).ToListAsync(ct);
        var byId = heads.ToDictionary(h => h.Id, StringComparer.Ordinal);
        var items = reviews.Select(r => ReviewListItem.From(r, user, byId)).ToList();
        return new ReviewPage(items, page.Count > take ? reviews[^1].Id : null);
    }
}
