using Evidence.Api.Auth;
using Evidence.Api.Http;
using Evidence.Domain.Access;
using Evidence.Domain.Reviews;
using Evidence.Domain.Trials;
using Evidence.Domain.Validation;
using Evidence.Domain;
using Marten;

namespace Evidence.Api.Reviews;

/// <summary>Creating reviews, defining outcomes and changing their analysis; reading them back.</summary>
public static class ReviewEndpoints
{
    public static void MapReviews(this IEndpointRouteBuilder app)
    {
        var reviews = app.MapGroup("/reviews").WithTags("Reviews");
        reviews.MapPost("/", CreateReview).Accepts<CreateReviewRequest>("application/json")
            .Produces<ReviewView>(201).ProducesValidationProblem().ProducesProblem(409);
        reviews.MapPost("/{review}/outcomes", DefineOutcome).Accepts<DefineOutcomeRequest>("application/json")
            .Produces<OutcomeView>(201).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        reviews.MapPost("/{review}/outcomes/{outcome}/analysis", ChangeAnalysis).Accepts<ChangeAnalysisRequest>("application/json")
            .Produces<OutcomeView>().ProducesValidationProblem().ProducesProblem(404);
        reviews.MapGet("/{review}", GetReview).Produces<ReviewView>().ProducesProblem(404);
        reviews.MapGet("/{review}/outcomes", GetOutcomes).Produces<IReadOnlyList<OutcomeView>>().ProducesProblem(404);
    }

    /// <summary>
    /// The server assigns a new review's id; only an administrator, who may read every review
    /// anyway, may choose it. So creating a review answers the same whether or not a review the
    /// caller cannot see holds some id.
    /// </summary>
    private static Task<IResult> CreateReview(HttpContext http, IDocumentSession session, TimeProvider clock) =>
        Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var chosen = body.String("id");
            if (chosen is not null && !Access.IsAdministrator(http))
                body.Error("id", "only an administrator chooses a review's id; leave it out and the server assigns one.");
            var command = new CreateReview(chosen ?? Review.NewId(), body.String("title"), body.String("question"), body.String("protocol"));
            body.ThrowIfInvalid();
            var existing = Rules.IsSlug(command.Id) ? await session.LoadAsync<Review>(command.Id!, http.RequestAborted) : null;
            var created = ReviewDecider.Handle(existing, command, by);
            session.Events.StartStream<Review>(created.ReviewId, created);
            return ApiJson.Created(ReviewView.From(Review.Evolve(null, created)), $"/reviews/{created.ReviewId}", 1);
        });

    private static async Task<IResult> DefineOutcome(string review, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        await Access.RequireAsync(http, session, review, Role.Editor);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var command = new DefineOutcome(body.String("id"), body.String("name"), body.String("dataType"), body.String("measure"),
                body.String("method"), body.String("test"), body.String("subgroup"), body.String("order"), body.String("conventions"));
            body.ThrowIfInvalid();
            var stream = await ReviewStream(session, review, http.RequestAborted);
            var defined = ReviewDecider.Handle(stream.Aggregate!, command, by);
            stream.AppendOne(defined);
            var outcome = Review.Evolve(stream.Aggregate, defined).Outcomes[defined.OutcomeId];
            return ApiJson.Created(OutcomeView.From(outcome), $"/reviews/{review}/outcomes/{defined.OutcomeId}");
        });
    }

    private static async Task<IResult> ChangeAnalysis(string review, string outcome, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        await Access.RequireAsync(http, session, review, Role.Editor);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var command = new ChangeOutcomeAnalysis(outcome, body.String("measure"), body.String("method"), body.String("test"),
                body.String("subgroup"), body.String("order"), body.String("reason"), body.String("conventions"));
            body.ThrowIfInvalid();
            var stream = await ReviewStream(session, review, http.RequestAborted);
            var trials = command.Measure is null ? [] : await session.Query<Trial>().Where(t => t.ReviewId == review).ToListAsync(http.RequestAborted);
            var changed = ReviewDecider.Handle(stream.Aggregate!, command, by, trials);
            stream.AppendOne(changed);
            return ApiJson.Ok(OutcomeView.From(Review.Evolve(stream.Aggregate, changed).Outcomes[outcome]));
        });
    }

    /// <summary>The review, with its version as the <c>ETag</c> that a change to an outcome's thresholds or rules sends back in <c>If-Match</c>.</summary>
    private static async Task<IResult> GetReview(string review, HttpContext http, IQuerySession session)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        http.Response.Headers.ETag = Caller.ETag(current.Version);
        return Results.Json(ReviewView.From(current), ApiJson.Options);
    }

    private static async Task<IResult> GetOutcomes(string review, HttpContext http, IQuerySession session) =>
        Results.Json(ReviewView.From(await Access.RequireAsync(http, session, review, Role.Viewer)).Outcomes, ApiJson.Options);

    internal static async Task<JasperFx.Events.IEventStream<Review>> ReviewStream(IDocumentSession session, string review, CancellationToken ct)
    {
        if (!Rules.IsSlug(review))
            throw new NotFoundException("Review", review);
        var stream = await session.Events.FetchForWriting<Review>(review, ct);
        return stream.Aggregate is null ? throw new NotFoundException("Review", review) : stream;
    }
}
