using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Evidence.Domain.Trials;

/// <summary>The trial's inline state: <see cref="Trial.Evolve"/> over its stream's events.</summary>
public sealed class TrialProjection : SingleStreamProjection<Trial, string>
{
    public TrialProjection()
    {
        foreach (var type in EvidenceStore.EventTypes.Where(t => t.IsAssignableTo(typeof(ITrialEvent))))
            IncludeType(type);
    }

    public override Trial? Evolve(Trial? snapshot, string id, IEvent e) => Trial.Evolve(snapshot, (ITrialEvent)e.Data);
}
