using System.Globalization;
using System.Threading.RateLimiting;

namespace Evidence.Api.Auth;

/// <summary>
/// Rate limits, applied before the API key is looked up, so a flood costs no database work: a token
/// bucket per presented key (by its hash; per client address without one),
/// <c>RateLimit:PermitsPerSecond</c> refilled each second up to <c>RateLimit:Burst</c>; and, for a
/// key not known to be valid (<see cref="ApiKeyCache"/>), the address's <see cref="FailedKeyBudget"/>.
/// Beyond either: 429 with <c>Retry-After</c>.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddEvidenceRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<FailedKeyBudget>();
        services.AddRateLimiter(_ => { });
        // Read when the limiter is built, so configuration added late (tests, environment) counts.
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var perSecond = configuration.GetValue("RateLimit:PermitsPerSecond", 200);
            var burst = configuration.GetValue("RateLimit:Burst", 400);
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetTokenBucketLimiter(
                    PresentedKey.Of(http).Id is { } id ? "key:" + id : "address:" + FailedKeyBudget.Address(http),
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = burst,
                        TokensPerPeriod = perSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            options.OnRejected = (context, _) =>
                TooManyAsync(context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1));
        });
        return services;
    }

    /// <summary>The rate limits; goes before authentication.</summary>
    public static IApplicationBuilder UseEvidenceRateLimits(this IApplicationBuilder app)
    {
        app.UseRateLimiter();
        var keys = app.ApplicationServices.GetRequiredService<ApiKeyCache>();
        var budget = app.ApplicationServices.GetRequiredService<FailedKeyBudget>();
        return app.Use(async (http, next) =>
        {
            if (PresentedKey.Of(http).Id is { } id && !keys.IsKnown(id) && !budget.MayLookUp(http))
                await TooManyAsync(http, TimeSpan.FromSeconds(1));
            else
                await next(http);
        });
    }

    private static async ValueTask TooManyAsync(HttpContext http, TimeSpan after)
    {
        var retry = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = 429, Title = "Too many requests.", Detail = $"Slow down; retry after {retry} s." },
        });
    }
}
