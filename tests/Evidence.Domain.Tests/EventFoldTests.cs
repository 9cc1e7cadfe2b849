using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>Every event type is registered with the store and handled by its aggregate's fold and by the review's log.</summary>
public class EventFoldTests
{
    [Fact]
    public void EveryEventType_Should_BeRegisteredWithTheStore()
    {
        Assert.Equal(EventSamples.DeclaredTypes.Select(t => t.Name).Order(), EvidenceStore.EventTypes.Select(t => t.Name).Order());
    }

    [Fact]
    public void EveryEventType_Should_HaveASample()
    {
        Assert.Equal(EventSamples.DeclaredTypes.Select(t => t.Name).Order(), EventSamples.Log.Select(e => e.GetType().Name).Order());
    }

    [Fact]
    public void EveryEvent_Should_BeFoldedByItsAggregate()
    {
        Review? review = null;
        Trial? trial = null;
        foreach (var e in EventSamples.Log)
        {
            if (e is ITrialEvent t)
                trial = Trial.Evolve(trial, t);
            else
                review = Review.Evolve(review, e);
        }

        Assert.Equal(9, review!.Version);
        Assert.Equal(0.8, review.Outcomes["response"].Thresholds!.Lower);
        Assert.Equal(0.3, review.Outcomes["response"].RulesInForce.RelativeChange.Value);
        Assert.Equal(0.25, review.Outcomes["response"].Sequential!.RelativeRiskReduction);
        Assert.Equal(5, trial!.Version);
        Assert.Equal(TrialStatus.Retracted, trial.Status);
        Assert.True(review.IsPublic);
    }

    [Fact]
    public void Evolve_Should_RefuseAnEventItHasNoCaseFor()
    {
        var unknown = new Unknown(EventSamples.Review, EventSamples.Trial, Given.By);

        Assert.Throws<UnknownEventException>(() => Review.Evolve(null, unknown));
        Assert.Throws<UnknownEventException>(() => Trial.Evolve(null, unknown));
        Assert.Throws<UnknownEventException>(() => new ReviewLog().Apply(unknown, 1));
    }

    [Fact]
    public void ReviewLog_Should_FoldEveryEvent_AsTheAggregatesDo()
    {
        var log = new ReviewLog();
        Review? review = null;
        Trial? trial = null;
        var sequence = 0L;
        foreach (var e in EventSamples.Log)
        {
            log.Apply(e, ++sequence);
            if (e is ITrialEvent t)
                trial = Trial.Evolve(trial, t);
            else
                review = Review.Evolve(review, e);
        }

        Assert.Equal(review!.Version, log.Review!.Version);
        Assert.Equal(review.Outcomes["response"], log.Review.Outcomes["response"]);
        Assert.Equal(trial!.Version, log.Trials[EventSamples.Trial].Version);
        Assert.Equal(trial.Status, log.Trials[EventSamples.Trial].Status);
    }

    [Fact]
    public void Cause_Should_NameEveryEventsProvenance_AndItsTrial()
    {
        foreach (var e in EventSamples.Log)
        {
            var cause = SnapshotRules.Cause(new LoggedEvent(Guid.NewGuid(), 1, DateTimeOffset.UnixEpoch, e));

            Assert.Equal(e.GetType().Name, cause.Type);
            Assert.Equal((e.Provenance.By, e.Provenance.At, e.Provenance.Reason), (cause.By, cause.At, cause.Reason));
            Assert.Equal(e is ITrialEvent ? EventSamples.Trial : null, cause.TrialId);
        }
    }

    private sealed record Unknown(string ReviewId, string TrialId, Provenance Provenance) : ITrialEvent;
}
