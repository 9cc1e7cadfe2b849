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
        var user = Access.UserOrAnonymous(http);
        var errors = new FieldErrors();
        var take = QueryLimit.Parse(errors, "limit", limit, DefaultLimit, MaxLimit);
        if (after is not null && !Rules.IsSlug(after))
            errors.Add("after", "must be a review id, as given in 'next'.");
        errors.ThrowIfAny();

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
        return Results.Json(new ReviewPage(items, page.Count > take ? reviews[^1].Id : null), ApiJson.Options);
    }
}
