using Evidence.Api.Auth;
using Evidence.Api.Http;
using Evidence.Domain;
using Evidence.Domain.Access;
using Evidence.Domain.Judgement;
using Evidence.Domain.Validation;
using Evidence.Domain.Webhooks;
using Marten;

namespace Evidence.Api.Webhooks;

/// <summary>
/// A review's webhook subscriptions (owner only): making one, which shows its signing secret once,
/// listing, deleting, and the deliveries of one. The worker delivers; nothing here sends anything.
/// </summary>
public static class SubscriptionEndpoints
{
    public sealed record CreateSubscriptionRequest(string Url, IReadOnlyList<string>? Outcomes, IReadOnlyList<string>? Kinds, string? Description);

    public static void MapSubscriptions(this IEndpointRouteBuilder app)
    {
        var subscriptions = app.MapGroup("/reviews/{review}/subscriptions").WithTags("Webhooks");
        subscriptions.MapPost("/", Create).Accepts<CreateSubscriptionRequest>("application/json")
            .Produces<CreatedSubscription>(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(503);
        subscriptions.MapGet("/", List).Produces<IReadOnlyList<SubscriptionView>>().ProducesProblem(403).ProducesProblem(404);
        subscriptions.MapDelete("/{subscription}", Delete).Produces<SubscriptionView>().ProducesProblem(403).ProducesProblem(404);
        subscriptions.MapGet("/{subscription}/deliveries", Deliveries).Produces<IReadOnlyList<DeliveryView>>().ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<IResult> Create(string review, HttpContext http, IDocumentSession session, TimeProvider clock, WebhookOptions options)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Owner);
        var secrets = options.Secrets ?? throw new WebhooksNotConfiguredException(options.SecretKeyProblem);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var url = body.String("url");
            var outcomes = body.Strings("outcomes") ?? [];
            var kinds = body.Strings("kinds") ?? [];
            var description = body.String("description");
            var errors = new FieldErrors();
            if (WebhookTargets.FormProblem(url, out var target) is { } form)
                errors.Add("url", form);
            else if (await WebhookTargets.AddressProblemAsync(target!, options.AllowPrivateTargets, http.RequestAborted) is { } address)
                errors.Add("url", address);
            for (var i = 0; i < outcomes.Count; i++)
                if (!current.Outcomes.ContainsKey(outcomes[i]))
                    errors.Add($"outcomes[{i}]", $"is not an outcome of review '{review}'.");
                else if (outcomes.Take(i).Contains(outcomes[i], StringComparer.Ordinal))
                    errors.Add($"outcomes[{i}]", "is given more than once.");
            for (var i = 0; i < kinds.Count; i++)
                if (!SignalKinds.All.Contains(kinds[i], StringComparer.Ordinal))
                    errors.Add($"kinds[{i}]", $"must be one of {string.Join(", ", SignalKinds.All)}.");
                else if (kinds.Take(i).Contains(kinds[i], StringComparer.Ordinal))
                    errors.Add($"kinds[{i}]", "is given more than once.");
            Rules.Text(errors, "description", description, Rules.MaxShortText, required: false);
            foreach (var (path, messages) in errors.ToDictionary())
                foreach (var message in messages)
                    body.Error(path, message);
            body.ThrowIfInvalid();

            var id = WebhookSubscription.NewId();
            var secret = WebhookSecret.New();
            var subscription = new WebhookSubscription(id, review, url!, outcomes, kinds, description, secrets.Encrypt(secret, id), by.At, by.By);
            session.Insert(subscription);
            // Versions taken before the subscription are not sent: its cursor starts past every event there is.
            session.Insert(new WebhookCursor(id, await LastSequenceAsync(session, http.RequestAborted)));
            var location = $"/reviews/{review}/subscriptions/{id}";
            var created = CreatedSubscription.From(subscription, secret);
            // The stored answer a retry gets never holds the secret, which is kept only encrypted.
            return ApiJson.Created(created, location) with { Retry = ApiJson.Created(created with { Secret = null }, location) };
        });
    }

    private static async Task<IResult> List(string review, HttpContext http, IQuerySession session)
    {
        await Access.RequireAsync(http, session, review, Role.Owner);
        var subscriptions = await session.Query<WebhookSubscription>()
            .Where(s => s.ReviewId == review && s.DeletedAt == null).OrderBy(s => s.CreatedAt).ToListAsync(http.RequestAborted);
        return Results.Json(subscriptions.Select(SubscriptionView.From), ApiJson.Options);
    }

    /// <summary>Stops deliveries to the target at once (a delivery under way still ends); the subscription is listed no more.</summary>
    private static async Task<IResult> Delete(string review, string subscription, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        await Access.RequireAsync(http, session, review, Role.Owner);
        var deleted = await FindAsync(session, review, subscription, http.RequestAborted) with { DeletedAt = clock.GetUtcNow(), DeletedBy = Access.User(http) };
        session.Store(deleted);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Json(SubscriptionView.From(deleted), ApiJson.Options);
    }

    private static async Task<IResult> Deliveries(string review, string subscription, HttpContext http, IQuerySession session)
    {
        await Access.RequireAsync(http, session, review, Role.Owner);
        await FindAsync(session, review, subscription, http.RequestAborted);
        var deliveries = await session.Query<WebhookDelivery>()
            .Where(d => d.SubscriptionId == subscription).OrderBy(d => d.Sequence).ToListAsync(http.RequestAborted);
        return Results.Json(deliveries.Select(DeliveryView.From), ApiJson.Options);
    }

    private static async Task<WebhookSubscription> FindAsync(IQuerySession session, string review, string id, CancellationToken ct) =>
        await session.LoadAsync<WebhookSubscription>(id, ct) is { IsDeleted: false } found && found.ReviewId == review
            ? found
            : throw new NotFoundException("Subscription", id);

    private static async Task<long> LastSequenceAsync(IQuerySession session, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        return (await session.QueryAsync<long>($"select coalesce(max(seq_id), 0) from {schema}.mt_events", ct))[0];
    }
}
