namespace Evidence.Domain.Reviews;

public sealed record CreateReview(string? Id, string? Title, string? Question, string? Protocol);

public sealed record DefineOutcome(string? Id, string? Name, string? DataType, string? Measure, string? Method, string? Test, string? Subgroup, string? Order, string? Conventions = null);

public sealed record ChangeOutcomeAnalysis(string OutcomeId, string? Measure, string? Method, string? Test, string? Subgroup, string? Order, string? Reason, string? Conventions = null);
