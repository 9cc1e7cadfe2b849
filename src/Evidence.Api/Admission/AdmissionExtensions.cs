using Evidence.Contracts;
using Evidence.Domain;
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

    /// <summary>
    /// Takes the workers' reports only. The API's broker user may not publish to the reports'
    /// exchange, but it may write to its own lag queue; the user-id the broker checked on publishing
    /// tells a worker's report from one sent as the API (or without a name).
    /// </summary>
    private sealed class SnapshotLagConsumer(AdmissionControl admission, IConfiguration configuration, ILogger<SnapshotLagConsumer> logger)
        : IConsumer<SnapshotLag>
    {
        private static int warned;

        public Task Consume(ConsumeContext<SnapshotLag> context)
        {
            var publisher = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var amqp) ? amqp.Properties.UserId : null;
            if (string.IsNullOrEmpty(publisher) || publisher == configuration.BrokerUser())
            {
                if (Interlocked.Exchange(ref warned, 1) == 0)
                    logger.LogWarning(
                        "Ignoring lag reports not published by a worker (broker user '{Publisher}'); each worker needs a broker user of its own, not the API's",
                        publisher ?? "(none)");
                return Task.CompletedTask;
            }
            admission.Report(context.Message);
            return Task.CompletedTask;
        }
    }
}
