using System.Text.Json;
using Evidence.Statistics.Analyses;

namespace Evidence.Domain.Snapshots;

/// <summary>The inputs of a stored version no longer hash to what it was computed from: the log or the rules changed under it.</summary>
public sealed class SnapshotInputsChangedException(string snapshotId)
    : InvalidOperationException($"The review's log no longer gives the inputs snapshot {snapshotId} was computed from.");

/// <summary>
/// Completes a version stored without its per-study sections (<see cref="Snapshot.StudiesOnRead"/>):
/// folds the review's log up to the version's cause, checks the inputs against the stored hash, and
/// adds the per-study sections to the stored result. The stored numbers are kept as they are.
/// </summary>
public static class SnapshotStudies
{
    /// <param name="stored">The version as stored.</param>
    /// <param name="events">The review's events in commit order, at least up to the version's cause; later ones are ignored.</param>
    /// <param name="analyzer">The engine.</param>
    /// <param name="depth"><see cref="AnalysisDepth.Studies"/> for effects and weights only, <see cref="AnalysisDepth.Full"/> for the sensitivity analyses as well.</param>
    public static Snapshot Complete(Snapshot stored, IEnumerable<LoggedEvent> events, IOutcomeAnalyzer analyzer, AnalysisDepth depth)
    {
        if (!stored.StudiesOnRead)
            return stored;
        var log = new ReviewLog();
        foreach (var e in events.TakeWhile(e => e.Sequence <= stored.Cause.Sequence))
            log.Apply(e.Data, e.Sequence);
        var inputs = log.Inputs(stored.OutcomeId);
        if (inputs.Hash() != stored.InputHash)
            throw new SnapshotInputsChangedException(stored.Id);

        var analyzed = analyzer.Analyze(inputs, depth);
        var computed = analyzed.Analysis;
        var result = stored.Analysis();
        var completed = result with
        {
            Studies = computed.Studies.Count > 0 ? computed.Studies : result.Studies,
            Cumulative = computed.Cumulative ?? result.Cumulative,
            LeaveOneOut = computed.LeaveOneOut ?? result.LeaveOneOut,
        };
        return stored with { Included = analyzed.Included, Result = JsonSerializer.SerializeToElement(AnalysisJson.ToJson(completed)) };
    }
}
