using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;

namespace Evidence.Api.Auth;

/// <summary>
/// A token bucket per API key (per client address without one): <c>RateLimit:PermitsPerSecond</c>
/// refilled each second up to <c>RateLimit:Burst</c>. Beyond it: 429 with <c>Retry-After</c>.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddEvidenceRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        // Read when the limiter is built, so configuration added late (tests, environment) counts.
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var perSecond = configuration.GetValue("RateLimit:PermitsPerSecond", 200);
            var burst = configuration.GetValue("RateLimit:Burst", 400);
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetTokenBucketLimiter(
                    http.User.FindFirstValue(ApiKeyAuthentication.KeyIdClaim) ?? "ip:" + http.Connection.RemoteIpAddress,
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = burst,
                        TokensPerPeriod = perSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
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
}
