using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Bundles;

/// <summary>The bundle of one snapshot version, from the version and the review's events up to its cause.</summary>
public static class SnapshotBundle
{
    /// <summary>
    /// The files of <paramref name="snapshot"/>'s bundle. <paramref name="snapshot"/> must hold its
    /// per-study sections (a version stored without them completed on read: <see cref="Snapshot.StudiesOnRead"/>,
    /// which the manifest then names as the result's source). <paramref name="log"/> holds the review's
    /// events up to the version's cause, in order.
    /// </summary>
    public static IReadOnlyList<BundleFile> Files(Snapshot snapshot, IEnumerable<LoggedEvent> log, string engineVersion)
    {
        var plan = snapshot.Settings;
        var studies = snapshot.Included.Select(s => new BundleStudy(s.TrialId, s.Year, s.Data, s.Subgroup, s.Order)).ToList();
        var settings = new BundleSettings(plan.Measure, plan.Method, plan.Test, plan.Subgroup, plan.Order, RowsInCumulativeOrder: true, [],
            plan.Conventions ?? Outcomes.AnalysisPlan.DefaultConventions);
        var source = snapshot.StudiesOnRead
            ? $"computed: the version stores its pooled estimate without the per-study sections (studies, cumulative, leave_one_out), which were computed from its inputs (hash {snapshot.InputHash}) by engine {engineVersion}"
            : "stored: the version's result as the worker stored it";
        var origin = new BundleOrigin(snapshot.EngineVersion, snapshot.InputHash, snapshot.ReviewId, snapshot.OutcomeId, snapshot.Version, snapshot.Cause, source);
        return AnalysisBundle.Files(studies, settings, snapshot.Result, Events(snapshot.OutcomeId, snapshot.Cause.Sequence, log), origin);
    }

    /// <summary>
    /// The events that led to a version of <paramref name="outcome"/>: those of the review's stream
    /// that define or change the outcome, and every event of a trial that had data for it at some
    /// point up to <paramref name="upTo"/> (its cause), in log order.
    /// </summary>
    public static IReadOnlyList<BundleEvent> Events(string outcome, long upTo, IEnumerable<LoggedEvent> log)
    {
        var events = log.Where(e => e.Sequence <= upTo).ToList();
        var trials = new Dictionary<string, Trial>(StringComparer.Ordinal);
        var withData = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Data is not ITrialEvent t)
                continue;
            var trial = trials[t.TrialId] = Trial.Evolve(trials.GetValueOrDefault(t.TrialId), t);
            if (trial.Data.ContainsKey(outcome))
                withData.Add(t.TrialId);
        }
        return events
            .Where(e => e.Data switch
            {
                IOutcomeEvent o => o.OutcomeId == outcome,
                ITrialEvent t => withData.Contains(t.TrialId),
                _ => false,
            })
            .Select(e =>
            {
                var provenance = ((IReviewEvent)e.Data).Provenance;
                return new BundleEvent(e.Sequence, e.Data.GetType().Name, provenance.By, provenance.At, provenance.Reason, e.Data);
            })
            .ToList();
    }
}
