using Evidence.Api.Admission;
using Evidence.Api.Auth;
using Evidence.Api.Forwarding;
using Evidence.Api.Http;
using Evidence.Api.Web;
using Evidence.Domain;
using Evidence.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace Evidence.Api;

/// <summary>How the API host is put together: messaging, event store, health, OpenAPI.</summary>
public static class Extensions
{
    private const string Ready = "ready";

    public static IHostApplicationBuilder AddEvidenceApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // MassTransit first: its hosted service must be running before Marten's, so anything Marten
        // starts (projections, subscriptions) can already publish.
        services.AddMassTransit(x =>
        {
            // A medical-evidence service reports nothing to anyone; MassTransit's usage report is on by default.
            x.DisableUsageTelemetry();
            x.AddSnapshotLagConsumer();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.UseEvidenceBroker(context.GetRequiredService<IConfiguration>());
                cfg.ConfigureEndpoints(context);
            });
        });
        services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);

        services.AddEvidenceStore()
        .AddEventForwarding();

        // MassTransit adds its own bus check, tagged "ready".
        services.AddHealthChecks()
            .AddNpgSql(sp => sp.GetRequiredService<IConfiguration>().Required("Postgres"), name: "postgres", tags: [Ready]);

        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Evidence API";
            document.Info.Description = ApiReference.Introduction;
            return Task.CompletedTask;
        }));
        services.AddEvidenceEndpoints();
        services.AddEvidenceRateLimits();
        services.AddAdmissionControl();
        return builder;
    }

    public static WebApplication UseEvidenceApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.Use(ProblemMapping.AnswerPreconditionFailuresAsync);
        app.UseStatusCodePages();
        // Limits before authentication: a flood of made-up keys is refused without looking one up.
        app.UseEvidenceRateLimits();
        app.UseAuthentication();
        app.UseAdmissionControl();

        // Liveness runs no check: it answers as long as the process serves requests.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(Ready),
            // A bus that is still connecting reports Degraded; not ready to take traffic either.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });

        // A local product: the API description and its reference page are served in every environment.
        app.MapOpenApi();
        app.MapScalarApiReference(ApiReference.Configure);
        app.MapReadme();

        app.UseEvidenceWebView();
        app.MapEvidenceEndpoints();
        return app;
    }
}
