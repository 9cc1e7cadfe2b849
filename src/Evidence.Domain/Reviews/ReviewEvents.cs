using Evidence.Domain.Outcomes;

namespace Evidence.Domain.Reviews;

/// <summary>A review was created: the question a team sets out to answer.</summary>
public sealed record ReviewCreated(string ReviewId, string Title, string Question, string? Protocol, Provenance Provenance) : IReviewEvent;

/// <summary>An outcome was defined in a review, with its data type and first analysis settings.</summary>
public sealed record OutcomeDefined(string ReviewId, string OutcomeId, string Name, string DataType, AnalysisPlan Analysis, Provenance Provenance) : IOutcomeEvent;

/// <summary>An outcome's analysis settings changed (the protocol changed the analysis); the reason is required.</summary>
public sealed record OutcomeAnalysisChanged(string ReviewId, string OutcomeId, AnalysisPlan Previous, AnalysisPlan Analysis, Provenance Provenance) : IOutcomeEvent;
