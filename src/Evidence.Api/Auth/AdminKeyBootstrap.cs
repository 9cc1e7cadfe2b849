using Evidence.Domain.Access;
using Marten;

namespace Evidence.Api.Auth;

/// <summary>
/// Makes the key in <c>EVIDENCE_ADMIN_KEY</c> (if set) an administrator key at start, so a new
/// installation can create the first users' keys. Only its hash is stored. A key once revoked stays
/// revoked: a start with it logs a warning and leaves it so; another value bootstraps a new key.
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
        var stored = await session.LoadAsync<ApiKey>(ApiKey.IdOf(key), cancellationToken);
        if (stored is { IsRevoked: true })
        {
            logger.LogWarning("The administrator key from {Variable} was revoked at {RevokedAt} by {RevokedBy} and stays revoked; set another key to bootstrap an administrator",
                Variable, stored.RevokedAt, stored.RevokedBy);
            return;
        }
        if (stored is not null)
            return;
        // Insert, never overwrite: a store could bring back a key revoked a moment ago.
        session.Insert(new ApiKey(ApiKey.IdOf(key), ApiKey.HashOf(key), "admin", true, clock.GetUtcNow(), Variable));
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return; // another instance starting at the same moment stored it
        }
        logger.LogInformation("The administrator key from {Variable} is active", Variable);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
