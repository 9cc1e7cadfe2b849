using Evidence.Domain.Snapshots;
using Evidence.Statistics;

namespace Evidence.Domain.Judgement;

/// <summary>Turns a binary outcome's pooled relative effect into absolute terms (<see cref="AbsoluteEffect"/>).</summary>
public static class AbsoluteEffects
{
    /// <summary>
    /// The absolute effect of a version, or null: not a binary RR, OR or RD analysis, no estimate, or
    /// (for RR and OR) no control risk, assumed or pooled.
    /// </summary>
    public static AbsoluteEffect? Of(MeasureDefinition measure, SnapshotSummary summary, DecisionThresholds thresholds, IReadOnlyList<StudyInput> included) => null;
}
