using System.Globalization;
using System.Threading.RateLimiting;

namespace Evidence.Api.Auth;

/// <summary>
/// Rate limits, applied before the API key is looked up, so a flood costs no database work:
/// a token bucket per presented key (by its hash; per client address without one),
/// <c>RateLimit:PermitsPerSecond</c> refilled each second up to <c>RateLimit:Burst</c>; and a bucket
/// per client address for keys not found valid lately (<see cref="ApiKeyCache"/>), each of whose
/// requests costs a lookup: <c>RateLimit:UnknownKeysPerSecond</c> up to <c>RateLimit:UnknownKeysBurst</c>.
/// Beyond either: 429 with <c>Retry-After</c>.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddEvidenceRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyCache>();
        services.AddRateLimiter(_ => { });
        // Read when the limiter is built, so configuration added late (tests, environment) counts.
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<IConfiguration, ApiKeyCache>((options, configuration, keys) =>
        {
            var perSecond = configuration.GetValue("RateLimit:PermitsPerSecond", 200);
            var burst = configuration.GetValue("RateLimit:Burst", 400);
            var unknownPerSecond = configuration.GetValue("RateLimit:UnknownKeysPerSecond", 10);
            var unknownBurst = configuration.GetValue("RateLimit:UnknownKeysBurst", 50);
            var perClient = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                Bucket(PresentedKey.Of(http).Id is { } id ? "key:" + id : "address:" + Address(http), perSecond, burst));
            var unknownKeys = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                PresentedKey.Of(http).Id is { } id && !keys.IsKnown(id)
                    ? Bucket("address:" + Address(http), unknownPerSecond, unknownBurst)
                    : RateLimitPartition.GetNoLimiter(""));
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(perClient, unknownKeys);
            options.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many requests.", Detail = $"Slow down; retry after {retry} s." },
                });
            };
        });
        return services;
    }

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> Bucket(string partition, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
