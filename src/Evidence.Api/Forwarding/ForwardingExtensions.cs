using JasperFx.Events.Daemon;
using Marten;

namespace Evidence.Api.Forwarding;

public static class ForwardingExtensions
{
    /// <summary>
    /// Runs Marten's async daemon in this host (hot/cold: one API instance leads) with the
    /// <see cref="EventForwarder"/> subscription. Events reach the daemon by LISTEN/NOTIFY, so a
    /// command's events are forwarded within milliseconds rather than at the next poll.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventForwarding(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten) =>
        marten.AddAsyncDaemon(DaemonMode.HotCold)
            .AddSubscriptionWithServices<EventForwarder>(ServiceLifetime.Singleton, o =>
            {
                o.Name = "forwarder";
                o.Options.BatchSize = 500;
            });
}
