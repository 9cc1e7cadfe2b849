using Evidence.Domain.Outcomes;

namespace Evidence.Domain.Reviews;

/// <summary>A review was created: the question a team sets out to answer.</summary>
public sealed record ReviewCreated(string ReviewId, string Title, string Question, string? Protocol, Provenance Provenance) : IReviewEvent;

/// <summary>An outcome was defined in a review, with its data type and first analysis settings.</summary>
public sealed record OutcomeDefined(string ReviewId, string OutcomeId, string Name, string DataType, AnalysisPlan Analysis, Provenance Provenance) : IOutcomeEvent;

/// <summary>An outcome's analysis settings changed (the protocol changed the analysis); the reason is required.</summary>
public sealed record OutcomeAnalysisChanged(string ReviewId, string OutcomeId, AnalysisPlan Previous, AnalysisPlan Analysis, Provenance Provenance) : IOutcomeEvent;

/// <summary>
/// An outcome's decision thresholds were set: its null, minimal important differences and control
/// risk (natural scale). Yields a new version whose estimate is unchanged and whose signals and
/// absolute effects are judged against the new thresholds.
/// </summary>
public sealed record OutcomeThresholdsSet(string ReviewId, string OutcomeId, Judgement.DecisionThresholds? Previous, Judgement.DecisionThresholds Thresholds, Provenance Provenance) : IOutcomeEvent;

/// <summary>An outcome's signal rules were switched on or off or given other parameters; the next versions are judged by them.</summary>
public sealed record OutcomeSignalRulesSet(string ReviewId, string OutcomeId, Judgement.SignalRules? Previous, Judgement.SignalRules Rules, Provenance Provenance) : IOutcomeEvent;

/// <summary>
/// An outcome's trial sequential analysis parameters were set (<see cref="Settings"/>) or cleared
/// (null). Yields a new version whose estimate is unchanged and whose sequential section follows them.
/// </summary>
public sealed record OutcomeSequentialSet(string ReviewId, string OutcomeId, Sequential.SequentialSettings? Previous, Sequential.SequentialSettings? Settings, Provenance Provenance) : IOutcomeEvent;
