using Evidence.Domain.Access;
using Evidence.Domain.Outcomes;
using Evidence.Domain.Reviews;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>
/// One event of every type, in an order that makes a valid log of one review: the folds and the
/// readers are run over it to show that each handles every type. A new event type needs a sample
/// here (<c>EventFoldTests</c> fails until it has one).
/// </summary>
internal static class EventSamples
{
    public const string Review = "ld-il2";
    public const string Trial = "he2020";

    private static readonly Provenance By = new("alice", new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), "corr-1", "why", "where");
    private static readonly AnalysisPlan Or = new("OR", "REML", "z", "disease", AnalysisPlan.DefaultOrder);

    public static IReadOnlyList<IReviewEvent> Log { get; } =
    [
        new ReviewCreated(Review, "LD-IL-2", "Does it work?", null, By),
        new OutcomeDefined(Review, "response", "Response", "binary", Or, By),
        new TrialRecorded(Trial, Review, 2020, "He J et al. 2020", null,
            new Dictionary<string, string> { ["disease"] = "SLE" },
            new Dictionary<string, IReadOnlyDictionary<string, double>> { ["response"] = new Dictionary<string, double> { ["ai"] = 20, ["bi"] = 4, ["ci"] = 15, ["di"] = 14 } },
            By),
        new OutcomeAnalysisChanged(Review, "response", Or, Or with { Measure = "RR" }, By),
        new OutcomeThresholdsSet(Review, "response", null, new Domain.Judgement.DecisionThresholds(Lower: 0.8, Upper: 1.25, ControlRisk: 0.3), By),
        new OutcomeSignalRulesSet(Review, "response", null, Domain.Judgement.SignalRules.Default with { RelativeChange = new(true, 0.3) }, By),
        new OutcomeSequentialSet(Review, "response", null, new Domain.Sequential.SequentialSettings(0.05, 0.2, "D2", "OBF", 0.3, RelativeRiskReduction: 0.25), By),
        new TrialCorrected(Trial, Review, [new DataChange("response", "ai", 20, 21)], [new AttributeChange("disease", "SLE", "RA")], By),
        new TrialExcluded(Trial, Review, By),
        new TrialReinstated(Trial, Review, By),
        new MemberAdded(Review, "bob", Role.Editor, By),
        new MemberRemoved(Review, "bob", By),
        new ReviewVisibilityChanged(Review, true, By),
        new TrialRetracted(Trial, Review, "Retraction notice 2024", By),
    ];

    /// <summary>Every concrete event type of a review's log the Domain declares.</summary>
    public static IReadOnlyList<Type> DeclaredTypes { get; } =
        [.. typeof(IReviewEvent).Assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false } && t.IsAssignableTo(typeof(IReviewEvent)))];
}
