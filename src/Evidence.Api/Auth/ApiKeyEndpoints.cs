using Evidence.Api.Http;
using Evidence.Domain;
using Evidence.Domain.Access;
using Evidence.Domain.Validation;
using Marten;

namespace Evidence.Api.Auth;

/// <summary>Creating, listing and revoking API keys. The key itself is shown once, at creation.</summary>
public static class ApiKeyEndpoints
{
    public sealed record CreateKeyRequest(string User, bool Administrator);

    public sealed record KeyView(string Id, string User, bool Administrator, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, string? RevokedBy)
    {
        public static KeyView From(ApiKey k) => new(k.Id, k.User, k.IsAdministrator, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.RevokedBy);
    }

    /// <summary>A new key. <c>Key</c> is the key itself, in the first answer only: a retry with the same <c>Idempotency-Key</c> answers without it.</summary>
    public sealed record CreatedKey(string Id, string User, bool Administrator, string? Key);

    public static void MapApiKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api-keys").WithTags("API keys");
        keys.MapPost("/", Create).Accepts<CreateKeyRequest>("application/json").Produces<CreatedKey>(201).ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403);
        keys.MapGet("/", List).Produces<IReadOnlyList<KeyView>>().ProducesProblem(401).ProducesProblem(403);
        keys.MapDelete("/{id}", Revoke).Produces<KeyView>().ProducesProblem(401).ProducesProblem(404);
    }

    private static Task<IResult> Create(HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        Access.RequireAdministrator(http);
        return Idempotency.RunAsync(http, session, clock, (body, by) =>
        {
            var user = body.String("user");
            var administrator = body.Bool("administrator");
            var errors = new FieldErrors();
            MembershipDecider.ValidateUser(errors, "user", user);
            body.ThrowIfInvalid();
            errors.ThrowIfAny();
            var key = ApiKey.NewKey();
            var stored = new ApiKey(ApiKey.IdOf(key), ApiKey.HashOf(key), user!, administrator ?? false, by.At, by.By);
            session.Insert(stored);
            var created = new CreatedKey(stored.Id, stored.User, stored.IsAdministrator, key);
            var location = $"/api-keys/{stored.Id}";
            // Only hashes of keys are stored, so the answer a retry gets (which is stored) goes without the key.
            return Task.FromResult(ApiJson.Created(created, location) with { Retry = ApiJson.Created(created with { Key = null }, location) });
        });
    }

    private static async Task<IResult> List(HttpContext http, IQuerySession session, CancellationToken ct)
    {
        Access.RequireAdministrator(http);
        var keys = await session.Query<ApiKey>().OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return Results.Json(keys.Select(KeyView.From), ApiJson.Options);
    }

    /// <summary>An administrator revokes any key; a user revokes their own.</summary>
    private static async Task<IResult> Revoke(string id, HttpContext http, IDocumentSession session, TimeProvider clock, ApiKeyCache keys, CancellationToken ct)
    {
        var user = Access.User(http);
        var key = await session.LoadAsync<ApiKey>(id, ct);
        if (key is null || (!Access.IsAdministrator(http) && key.User != user))
            throw new NotFoundException("API key", id);
        if (!key.IsRevoked)
        {
            key = key with { RevokedAt = clock.GetUtcNow(), RevokedBy = user };
            session.Store(key);
            await session.SaveChangesAsync(ct);
            keys.Forget(key.Id);
        }
        return Results.Json(KeyView.From(key), ApiJson.Options);
    }
}
