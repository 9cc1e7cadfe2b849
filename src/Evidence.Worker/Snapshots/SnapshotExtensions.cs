using Evidence.Domain.Snapshots;

namespace Evidence.Worker.Snapshots;

public static class SnapshotExtensions
{
    /// <summary>The snapshot engine: the analyzer, the catch-up that writes versions, and the reconciler.</summary>
    public static IServiceCollection AddSnapshots(this IServiceCollection services)
    {
        services.AddSingleton<IOutcomeAnalyzer, OutcomeAnalyzer>();
        services.AddSingleton<SnapshotCatchUp>();
        services.AddSingleton<Reconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());
        return services;
    }
}
