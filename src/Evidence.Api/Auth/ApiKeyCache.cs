using Evidence.Domain.Access;
using Microsoft.Extensions.Caching.Memory;

namespace Evidence.Api.Auth;

/// <summary>
/// The keys found valid lately, by id, in a cache of at most <c>Auth:KeyCacheSize</c> keys (10,000).
/// A key is trusted without reading it again for <c>Auth:KeyCacheSeconds</c> (5), and remembered as
/// known (so an address that spent its <see cref="FailedKeyBudget"/> is not refused it) while it is
/// used at least every 15 minutes.
/// Only keys found valid enter: presenting made-up keys cannot fill it.
/// </summary>
public sealed class ApiKeyCache(IConfiguration configuration, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(15);

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, configuration.GetValue("Auth:KeyCacheSize", 10_000)) });
    private readonly TimeSpan trust = TimeSpan.FromSeconds(configuration.GetValue("Auth:KeyCacheSeconds", 5.0));

    private sealed record Entry(ApiKey Key, DateTimeOffset ReadAt);

    /// <summary>How many keys it holds now.</summary>
    public int Count => cache.Count;

    /// <summary>Whether the key <paramref name="id"/> was found valid lately.</summary>
    public bool IsKnown(string id) => cache.TryGetValue(id, out _);

    /// <summary>The key as read less than <c>Auth:KeyCacheSeconds</c> ago; null when it must be read again.</summary>
    public ApiKey? Trusted(string id) =>
        cache.TryGetValue<Entry>(id, out var entry) && clock.GetUtcNow() - entry!.ReadAt < trust ? entry.Key : null;

    /// <summary>Keeps a key just read and found valid.</summary>
    public void Remember(ApiKey key) =>
        cache.Set(key.Id, new Entry(key, clock.GetUtcNow()), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Remembered });

    /// <summary>Drops a key that was revoked or is no longer there.</summary>
    public void Forget(string id) => cache.Remove(id);

    public void Dispose() => cache.Dispose();
}
