using Evidence.Domain.Outcomes;
using Evidence.Domain.Validation;
using Evidence.Statistics;

namespace Evidence.Domain.Reviews;

/// <summary>Pure decisions on a review's stream: (state, command) -> event, throwing on a broken rule.</summary>
public static class ReviewDecider
{
    public static ReviewCreated Handle(Review? current, CreateReview command, Provenance by)
    {
        var errors = new FieldErrors();
        Rules.Slug(errors, "id", command.Id);
        Rules.Text(errors, "title", command.Title, Rules.MaxShortText, required: true);
        Rules.Text(errors, "question", command.Question, Rules.MaxLongText, required: true);
        Rules.Text(errors, "protocol", command.Protocol, Rules.MaxShortText, required: false);
        errors.ThrowIfAny();
        if (current is not null)
            throw new ConflictException($"Review '{command.Id}' already exists.");
        return new ReviewCreated(command.Id!, command.Title!.Trim(), command.Question!.Trim(), Blank(command.Protocol), by);
    }

    public static OutcomeDefined Handle(Review review, DefineOutcome command, Provenance by)
    {
        var errors = new FieldErrors();
        Rules.Slug(errors, "id", command.Id);
        Rules.Text(errors, "name", command.Name, Rules.MaxShortText, required: true);
        var type = DataType.Find(command.DataType);
        if (type is null)
            errors.Add("dataType", $"must be one of {string.Join(", ", DataType.All.Select(t => t.Name))}.");
        else
            AnalysisPlan.Validate(errors, "", type, command.Measure, command.Method, command.Test, command.Subgroup, command.Order, command.Conventions);
        errors.ThrowIfAny();
        if (review.Outcomes.ContainsKey(command.Id!))
            throw new ConflictException($"Outcome '{command.Id}' already exists in review '{review.Id}'.");
        var settings = new AnalysisPlan(command.Measure!, command.Method!, command.Test ?? MeasureCatalogue.Name(Test.Z), Blank(command.Subgroup), Blank(command.Order) ?? AnalysisPlan.DefaultOrder,
            command.Conventions ?? AnalysisPlan.DefaultConventions);
        return new OutcomeDefined(review.Id, command.Id!, command.Name!.Trim(), type!.Name, settings, by);
    }

    /// <summary>
    /// Settings not given keep their current value; a change that changes nothing is rejected, and so
    /// is a measure that a trial's data for the outcome can never be used with (<paramref name="trials"/>:
    /// the review's trials; retracted ones no longer count and are not checked).
    /// </summary>
    public static OutcomeAnalysisChanged Handle(Review review, ChangeOutcomeAnalysis command, Provenance by, IEnumerable<Trials.Trial>? trials = null)
    {
        if (!review.Outcomes.TryGetValue(command.OutcomeId, out var outcome))
            throw new NotFoundException("Outcome", command.OutcomeId);
        var current = outcome.Analysis;
        var errors = new FieldErrors();
        Rules.Text(errors, "reason", command.Reason, Rules.MaxLongText, required: true);
        var type = DataType.Find(outcome.DataType)!;
        var next = new AnalysisPlan(
            command.Measure ?? current.Measure,
            command.Method ?? current.Method,
            command.Test ?? current.Test,
            command.Subgroup is null ? current.Subgroup : Blank(command.Subgroup),
            Blank(command.Order) ?? current.Order,
            command.Conventions ?? current.Conventions ?? AnalysisPlan.DefaultConventions);
        AnalysisPlan.Validate(errors, "", type, next.Measure, next.Method, next.Test, next.Subgroup, next.Order, next.Conventions);
        if (errors.IsEmpty && next.Measure != current.Measure)
        {
            foreach (var trial in (trials ?? []).Where(t => t.Status != Trials.TrialStatus.Retracted).OrderBy(t => t.TrialId, StringComparer.Ordinal))
            {
                if (trial.Data.TryGetValue(outcome.Id, out var values) && OutcomeData.Unusable(next.Measure, trial.TrialId, values) is { } problem)
                    errors.Add("measure", $"trial '{trial.TrialId}' cannot be pooled with {next.Measure}: {problem.Field} {problem.Reason}.");
            }
        }
        if (errors.IsEmpty && next.Measure != current.Measure && outcome.Thresholds is { } thresholds)
            ThresholdsStillApply(errors, thresholds, current.Measure, next.Measure);
        // Like thresholds, sequential parameters belong to a kind of measure: the review clears or resets them first.
        if (errors.IsEmpty && next.Measure != current.Measure && outcome.Sequential is { } sequential
            && Sequential.SequentialDecider.Misfit(sequential, next.Measure) is { } misfit)
            errors.Add("measure", misfit);
        errors.ThrowIfAny();
        if (next == current)
            throw new ValidationFailedException(new Dictionary<string, string[]> { [""] = ["The analysis settings are unchanged."] });
        return new OutcomeAnalysisChanged(review.Id, outcome.Id, current, next, by with { Reason = command.Reason!.Trim() });
    }

    /// <summary>
    /// Thresholds are on the natural scale of the measure they were set for: a change between a ratio
    /// and a difference would make them mean something else, and a control risk needs a ratio of risks.
    /// The review clears or resets them first (its own event, with its reason).
    /// </summary>
    private static void ThresholdsStillApply(FieldErrors errors, Judgement.DecisionThresholds thresholds, string from, string to)
    {
        var before = MeasureCatalogue.ParseMeasure(from);
        var after = MeasureCatalogue.ParseMeasure(to);
        if (thresholds.Lines().Any() && before.IsRatio != after.IsRatio)
            errors.Add("measure", $"the outcome's thresholds are on the scale of {from}; set them for {to} (or clear them) first.");
        else if ((thresholds.ControlRisk is not null || thresholds.PooledControlRisk) && !Judgement.JudgementDecider.RelativeRiskMeasures.Contains(after.Measure))
            errors.Add("measure", $"the outcome has a control risk, which {to} cannot use; clear it first.");
    }

    /// <summary>Empty strings mean "not given".</summary>
    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
