using Evidence.Domain.Judgement;
using Evidence.Domain.Reviews;
using Evidence.Domain.Sequential;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests.Sequential;

/// <summary>A review's log built event by event, and the versions of its one outcome that a rebuild recomputes from it.</summary>
internal sealed class SequentialLog
{
    public const string ReviewId = "tsa";
    public const string Outcome = "response";

    private readonly List<LoggedEvent> events = [];

    public SequentialLog(string measure = "RR", string dataType = "binary")
    {
        Add(new ReviewCreated(ReviewId, "TSA", "Does it work?", null, Given.By));
        Add(ReviewDecider.Handle(Given.Review(), new DefineOutcome(Outcome, "Response", dataType, measure, "REML", "z", "disease", null), Given.By));
    }

    public IReadOnlyList<LoggedEvent> Events => events;

    /// <summary>Binary settings: alpha 0.05, beta 0.2, control risk 0.3 (or pooled), RRR 0.25, the given heterogeneity, O'Brien-Fleming.</summary>
    public static SequentialSettings Binary(string heterogeneity = "none", bool pooled = false, string spending = "OBF") =>
        new(0.05, 0.2, heterogeneity, spending, pooled ? null : 0.3, pooled, 0.25);

    public SequentialLog Add(object e)
    {
        events.Add(new LoggedEvent(Guid.NewGuid(), events.Count + 1, Given.By.At, e));
        return this;
    }

    public SequentialLog Set(SequentialSettings? settings) => Add(new OutcomeSequentialSet(ReviewId, Outcome, null, settings, Given.By with { Reason = "plan" }));

    public SequentialLog Trial(string id, double ai, double bi, double ci, double di) =>
        Add(new TrialRecorded(id, ReviewId, 2020, "src", null, new Dictionary<string, string> { ["disease"] = "SLE" },
            new Dictionary<string, IReadOnlyDictionary<string, double>> { [Outcome] = Given.Binary(ai, bi, ci, di) }, Given.By));

    public SequentialLog Continuous(string id, double m1, double sd1, double n1, double m2, double sd2, double n2) =>
        Add(new TrialRecorded(id, ReviewId, 2020, "src", null, new Dictionary<string, string>(),
            new Dictionary<string, IReadOnlyDictionary<string, double>>
            {
                [Outcome] = new Dictionary<string, double> { ["m1i"] = m1, ["sd1i"] = sd1, ["n1i"] = n1, ["m2i"] = m2, ["sd2i"] = sd2, ["n2i"] = n2 },
            }, Given.By));

    public SequentialLog Exclude(string id) => Add(new TrialExcluded(id, ReviewId, Given.By with { Reason = "not randomised" }));

    public SequentialLog Reinstate(string id) => Add(new TrialReinstated(id, ReviewId, Given.By with { Reason = "randomised after all" }));

    public SequentialLog Retract(string id) => Add(new TrialRetracted(id, ReviewId, "notice", Given.By));

    public SequentialLog Thresholds() =>
        Add(new OutcomeThresholdsSet(ReviewId, Outcome, null, new DecisionThresholds(Lower: 0.8), Given.By with { Reason = "MID" }));

    public SequentialLog Measure(string from, string to)
    {
        var plan = new Outcomes.AnalysisPlan(from, "REML", "z", "disease", Outcomes.AnalysisPlan.DefaultOrder);
        return Add(new OutcomeAnalysisChanged(ReviewId, Outcome, plan, plan with { Measure = to }, Given.By with { Reason = "protocol" }));
    }

    public SequentialLog Disease(string id, string from, string to) =>
        Add(new TrialCorrected(id, ReviewId, [], [new AttributeChange("disease", from, to)], Given.By with { Reason = "typo" }));

    /// <summary>Every version of the outcome, recomputed as the worker writes them.</summary>
    public List<Snapshot> Versions()
    {
        var rebuild = new SnapshotRebuild(ReviewId, new OutcomeAnalyzer());
        return events.SelectMany(rebuild.Recompute).Where(s => s.OutcomeId == Outcome).ToList();
    }
}
