using Microsoft.Extensions.DependencyInjection.Extensions;
using Evidence.Domain.Snapshots;

namespace Evidence.Worker.Snapshots;

public static class SnapshotExtensions
{
    /// <summary>The snapshot engine: the analyzer, the catch-up that writes versions, the reconciler, and the lag reports.</summary>
    public static IServiceCollection AddSnapshots(this IServiceCollection services)
    {
        services.AddSingleton<IOutcomeAnalyzer, OutcomeAnalyzer>();
        services.AddSingleton<SnapshotCatchUp>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SnapshotLagMeter>();
        services.AddHostedService<SnapshotLagReporter>();
        services.AddSingleton<Reconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());
        return services;
    }
}
