namespace Evidence.Domain;

/// <summary>
/// An event of a review's log: every event is about one review and carries who made it, when and why.
/// The review's own stream and its trials' streams hold only such events.
/// </summary>
public interface IReviewEvent
{
    /// <summary>The review the event belongs to.</summary>
    string ReviewId { get; }

    /// <summary>Who made the change, when, why and in which request.</summary>
    Provenance Provenance { get; }
}

/// <summary>An event of one trial's stream (<see cref="StreamKeys.Trial"/>), folded by <see cref="Trials.Trial.Evolve"/>.</summary>
public interface ITrialEvent : IReviewEvent
{
    /// <summary>The trial, unique within its review.</summary>
    string TrialId { get; }
}

/// <summary>An event of the review's own stream that defines or changes one outcome; the outcome's inputs are rebuilt after it.</summary>
public interface IOutcomeEvent : IReviewEvent
{
    /// <summary>The outcome, unique within its review.</summary>
    string OutcomeId { get; }
}

/// <summary>A fold met an event it has no case for: a new event type was added without teaching every fold about it.</summary>
public sealed class UnknownEventException(object e, string fold)
    : InvalidOperationException($"{fold} has no case for the event {e.GetType().Name}.");
