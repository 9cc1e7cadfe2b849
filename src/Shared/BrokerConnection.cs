using Evidence.Domain;
using MassTransit;

namespace Evidence.Hosting;

/// <summary>
/// How a host reaches RabbitMQ: the node and user of <c>ConnectionStrings:RabbitMq</c>, and, with
/// <c>RabbitMq:Nodes</c> (comma-separated <c>host:port</c>), every node of a cluster, tried in that
/// order, so a node's death only moves the connection to the next one.
/// </summary>
internal static class BrokerConnection
{
    /// <summary>Connects the bus to the configured node or cluster.</summary>
    public static void UseEvidenceBroker(this IRabbitMqBusFactoryConfigurator bus, IConfiguration configuration)
    {
        var nodes = Nodes(configuration);
        bus.Host(new Uri(configuration.Required("RabbitMq")), host =>
        {
            if (nodes.Count > 0)
                host.UseCluster(cluster =>
                {
                    foreach (var node in nodes)
                        cluster.Node(node);
                });
        });
    }

    /// <summary>The cluster's nodes, <c>RabbitMq:Nodes</c>; empty for a single node.</summary>
    public static IReadOnlyList<string> Nodes(IConfiguration configuration) =>
        (configuration["RabbitMq:Nodes"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Whether queues whose loss would lose work are quorum queues (<c>RabbitMq:QueueType</c> =
    /// <c>quorum</c>), replicated to a majority of the cluster, rather than classic ones (the default,
    /// so a broker whose queues were declared classic keeps working).
    /// </summary>
    public static bool QuorumQueues(IConfiguration configuration) =>
        string.Equals(configuration["RabbitMq:QueueType"], "quorum", StringComparison.OrdinalIgnoreCase);
}
