using Evidence.Api.AuditTrail;
using Evidence.Api.Auth;
using Evidence.Api.Exports;
using Evidence.Api.Feeds;
using Evidence.Api.Http;
using Evidence.Api.Plots;
using Evidence.Api.Reviews;
using Evidence.Api.Snapshots;
using Evidence.Api.Trials;
using Evidence.Api.Web;
using Evidence.Api.Webhooks;

namespace Evidence.Api;

/// <summary>Every route of the API, and the services its endpoints need.</summary>
public static class Endpoints
{
    public static IServiceCollection AddEvidenceEndpoints(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Domain.Snapshots.IOutcomeAnalyzer, Domain.Snapshots.OutcomeAnalyzer>();
        services.AddSingleton<StudiesOnReadCache>();
        services.AddSingleton<RenderedVersions>();
        services.AddSingleton<RebuildGate>();
        services.AddSingleton(sp => Domain.Webhooks.WebhookOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddExceptionHandler<ProblemMapping>();
        services.AddSingleton<ApiKeyCache>();
        services.AddEvidenceAuthentication();
        services.AddHostedService<AdminKeyBootstrap>();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        return services;
    }

    public static IEndpointRouteBuilder MapEvidenceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapReviews();
        app.MapJudgement();
        app.MapSequential();
        app.MapReviewList();
        app.MapTrials();
        app.MapAuditTrail();
        app.MapSnapshots();
        app.MapExports();
        app.MapBundles();
        app.MapRebuild();
        app.MapApiKeys();
        app.MapMembers();
        app.MapPlots();
        app.MapFeeds();
        app.MapSubscriptions();
        return app;
    }
}
