namespace Evidence.Contracts;

/// <summary>Names of the queues the hosts agree on.</summary>
public static class Queues
{
    /// <summary>The snapshot worker's queue; messages are sent to it (declared on send), never published into the void.</summary>
    public const string Snapshots = "evidence-snapshots";
}
