using Evidence.Domain.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Evidence.Worker.Webhooks;

public static class WebhookExtensions
{
    /// <summary>Webhook deliveries: the options of the <c>Webhooks</c> section, the sender and the dispatcher.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => WebhookOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
