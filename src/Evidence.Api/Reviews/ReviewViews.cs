using Evidence.Domain.Reviews;

namespace Evidence.Api.Reviews;

/// <summary>
/// An outcome: its analysis settings (with the convention preset), the thresholds set (null until set), the signal rules in force
/// and its trial sequential analysis parameters (null until set).
/// </summary>
public sealed record OutcomeView(string Id, string Name, string DataType, string Measure, string Method, string Test, string? Subgroup, string Order,
    Domain.Judgement.DecisionThresholds? Thresholds, Domain.Judgement.SignalRules Rules, string Conventions, Domain.Sequential.SequentialSettings? Sequential = null)
{
    public static OutcomeView From(Outcome o) =>
        new(o.Id, o.Name, o.DataType, o.Analysis.Measure, o.Analysis.Method, o.Analysis.Test, o.Analysis.Subgroup, o.Analysis.Order,
            o.Thresholds, o.RulesInForce, o.Analysis.Conventions ?? Domain.Outcomes.AnalysisPlan.DefaultConventions, o.Sequential);
}

public sealed record ReviewView(string Id, string Title, string Question, string? Protocol, long Version, DateTimeOffset CreatedAt, string CreatedBy, IReadOnlyList<OutcomeView> Outcomes)
{
    public static ReviewView From(Review r) =>
        new(r.Id, r.Title, r.Question, r.Protocol, r.Version, r.CreatedAt, r.CreatedBy,
            r.Outcomes.Values.OrderBy(o => o.Id, StringComparer.Ordinal).Select(OutcomeView.From).ToList());
}

/// <summary>A new review; <c>id</c> may be given by administrators only, otherwise the server assigns one.</summary>
public sealed record CreateReviewRequest(string? Id, string Title, string Question, string? Protocol);

/// <summary>A new outcome; <c>conventions</c> is <c>metafor</c> (the default) or <c>revman5</c>.</summary>
public sealed record DefineOutcomeRequest(string Id, string Name, string DataType, string Measure, string Method, string? Test, string? Subgroup, string? Order, string? Conventions);

public sealed record ChangeAnalysisRequest(string? Measure, string? Method, string? Test, string? Subgroup, string? Order, string Reason, string? Conventions);
