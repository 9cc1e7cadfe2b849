using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Evidence.Domain;

/// <summary>What every Evidence host needs from configuration, and its event store.</summary>
public static class EvidenceHosting
{
    /// <summary>A connection string that must be configured (<c>ConnectionStrings:{name}</c>).</summary>
    public static string Required(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"ConnectionStrings:{name} is not configured (e.g. environment variable ConnectionStrings__{name}).");

    /// <summary>
    /// The user a host logs in to the broker as: the user name in <c>ConnectionStrings:RabbitMq</c>,
    /// or <c>guest</c>, RabbitMQ's default, when it names none.
    /// </summary>
    public static string BrokerUser(this IConfiguration configuration) =>
        new Uri(configuration.Required("RabbitMq")).UserInfo.Split(':', 2)[0] is { Length: > 0 } user
            ? Uri.UnescapeDataString(user)
            : "guest";

    /// <summary>The Marten schema, <c>Marten:Schema</c>; the store's configuration rejects invalid names.</summary>
    public static string MartenSchema(this IConfiguration configuration) =>
        configuration["Marten:Schema"] is { Length: > 0 } schema ? schema : EvidenceStore.DefaultSchema;

    /// <summary>Marten on <c>ConnectionStrings:Postgres</c>, configured by <see cref="EvidenceStore.ConfigureEvidence"/>.</summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEvidenceStore(this IServiceCollection services) =>
        services.AddMarten(sp =>
            {
                var configuration = sp.GetRequiredService<IConfiguration>();
                var opts = new StoreOptions();
                opts.ConfigureEvidence(configuration.Required("Postgres"), configuration.MartenSchema());
                return opts;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup();
}
