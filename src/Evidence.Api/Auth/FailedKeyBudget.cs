using System.Threading.RateLimiting;

namespace Evidence.Api.Auth;

/// <summary>
/// Per client address, how many presented keys may be looked up and found invalid: a token bucket
/// of <c>RateLimit:FailedKeysBurst</c> (50) refilled by <c>RateLimit:FailedKeysPerSecond</c> (10).
/// A failed lookup spends a token; while none is left, a key not known to be valid is refused
/// before it is looked up. Valid keys spend nothing, so clients starting at once are never refused.
/// </summary>
public sealed class FailedKeyBudget(IConfiguration configuration) : IDisposable
{
    private readonly PartitionedRateLimiter<string> failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, configuration.GetValue("RateLimit:FailedKeysBurst", 50)),
            TokensPerPeriod = Math.Max(1, configuration.GetValue("RateLimit:FailedKeysPerSecond", 10)),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Whether the request's address may still have a key looked up.</summary>
    public bool MayLookUp(HttpContext http) => failures.GetStatistics(Address(http)) is not { CurrentAvailablePermits: <= 0 };

    /// <summary>A key presented from the request's address was looked up and not found valid.</summary>
    public void Failed(HttpContext http) => failures.AttemptAcquire(Address(http)).Dispose();

    public static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public void Dispose() => failures.Dispose();
}
