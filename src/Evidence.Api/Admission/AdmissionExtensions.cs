using Evidence.Contracts;
using MassTransit;

namespace Evidence.Api.Admission;

public static class AdmissionExtensions
{
    /// <summary>Header on a command that was held back, with the milliseconds it waited.</summary>
    public const string HeldHeader = "Evidence-Held-Ms";

    public static IServiceCollection AddAdmissionControl(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = new AdmissionOptions();
            sp.GetRequiredService<IConfiguration>().GetSection("Admission").Bind(options);
            return options;
        });
        services.AddSingleton<AdmissionControl>();
        return services;
    }

    /// <summary>Every API instance hears every worker: a queue of its own, deleted when the instance stops.</summary>
    public static void AddSnapshotLagConsumer(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<SnapshotLagConsumer>().Endpoint(e =>
        {
            e.Name = $"evidence-api-lag-{Guid.NewGuid():N}";
            e.Temporary = true;
        });

    /// <summary>Holds back commands (anything but GET, HEAD and OPTIONS) while the snapshots lag.</summary>
    public static IApplicationBuilder UseAdmissionControl(this IApplicationBuilder app)
    {
        var admission = app.ApplicationServices.GetRequiredService<AdmissionControl>();
        return app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method)
                && admission.Delay is var delay && delay > TimeSpan.Zero)
            {
                context.Response.Headers[HeldHeader] = ((int)delay.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Task.Delay(delay, context.RequestAborted);
            }
            await next(context);
        });
    }

    private sealed class SnapshotLagConsumer(AdmissionControl admission) : IConsumer<SnapshotLag>
    {
        public Task Consume(ConsumeContext<SnapshotLag> context)
        {
            admission.Report(context.Message);
            return Task.CompletedTask;
        }
    }
}
