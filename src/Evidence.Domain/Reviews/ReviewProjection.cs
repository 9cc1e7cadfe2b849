using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Evidence.Domain.Reviews;

/// <summary>The review's inline state: <see cref="Review.Evolve"/> over its own stream's events (not its trials').</summary>
public sealed class ReviewProjection : SingleStreamProjection<Review, string>
{
    public ReviewProjection()
    {
        foreach (var type in EvidenceStore.EventTypes.Where(t => !t.IsAssignableTo(typeof(ITrialEvent))))
            IncludeType(type);
    }

    public override Review? Evolve(Review? snapshot, string id, IEvent e) => Review.Evolve(snapshot, (IReviewEvent)e.Data);
}
