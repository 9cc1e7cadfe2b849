using Evidence.Domain.Access;
using Marten;

namespace Evidence.Api.Auth;

/// <summary>
/// Makes the key in <c>EVIDENCE_ADMIN_KEY</c> (if set) an administrator key at start, so a new
/// installation can create the first users' keys. Only its hash is stored.
/// </summary>
public sealed class AdminKeyBootstrap(IConfiguration configuration, IDocumentStore store, TimeProvider clock, ILogger<AdminKeyBootstrap> logger) : IHostedService
{
    public const string Variable = "EVIDENCE_ADMIN_KEY";
    public const int MinimumLength = 16;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration[Variable] is not { Length: > 0 } key)
            return;
        if (key.Length < MinimumLength)
            throw new InvalidOperationException($"{Variable} must be at least {MinimumLength} characters.");
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<ApiKey>(ApiKey.IdOf(key), cancellationToken) is { IsRevoked: false })
            return;
        session.Store(new ApiKey(ApiKey.IdOf(key), ApiKey.HashOf(key), "admin", true, clock.GetUtcNow(), Variable));
        await session.SaveChangesAsync(cancellationToken);
        logger.LogInformation("The administrator key from {Variable} is active", Variable);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
