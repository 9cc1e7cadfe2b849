using Evidence.Domain.Outcomes;
using Evidence.Domain.Reviews;
using Evidence.Domain.Validation;
using Evidence.Statistics;

namespace Evidence.Domain.Trials;

/// <summary>Pure decisions on a trial's stream: (review, trial, command) -> event, throwing on a broken rule.</summary>
public static class TrialDecider
{
    public static TrialRecorded Handle(Review review, Trial? current, RecordTrial command, Provenance by)
    {
        var errors = new FieldErrors();
        Rules.Slug(errors, "id", command.Id);
        Rules.Year(errors, "year", command.Year);
        Rules.Text(errors, "source", command.Source, Rules.MaxLongText, required: true);
        Rules.Text(errors, "registryId", command.RegistryId, Rules.MaxShortText, required: false);
        ValidateAttributes(errors, command.Attributes!);
        foreach (var (outcome, values) in command.Data)
            ValidateData(errors, review, outcome, values);
        errors.ThrowIfAny();
        if (current is not null)
            throw new ConflictException($"Trial '{command.Id}' already exists in review '{review.Id}'.");
        return new TrialRecorded(command.Id!, review.Id, command.Year!.Value, command.Source!.Trim(),
            ReviewDecider.Blank(command.RegistryId), command.Attributes, command.Data, by);
    }

    public static TrialCorrected Handle(Review review, Trial trial, CorrectTrial command, Provenance by)
    {
        var errors = new FieldErrors();
        Rules.Text(errors, "reason", command.Reason, Rules.MaxLongText, required: true);
        Rules.Text(errors, "source", command.Source, Rules.MaxLongText, required: false);
        ValidateAttributes(errors, command.Attributes);
        var data = trial.Data.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
        foreach (var (outcome, patch) in command.Data)
        {
            if (patch is null)
            {
                if (!data.Remove(outcome))
                    errors.Add($"data.{outcome}", "the trial has no data for this outcome to remove.");
                continue;
            }
            var merged = new Dictionary<string, double>(data.GetValueOrDefault(outcome) ?? new Dictionary<string, double>(), StringComparer.Ordinal);
            foreach (var (column, value) in patch)
                merged[column] = value;
            ValidateData(errors, review, outcome, merged);
            data[outcome] = merged;
        }
        errors.ThrowIfAny();
        EnsureVersion(trial, command.ExpectedVersion);
        if (trial.Status == TrialStatus.Retracted)
            throw new ConflictException($"Trial '{trial.TrialId}' is retracted; its data can no longer change.");

        var attributes = Corrections.ApplyAttributes(trial.Attributes,
            command.Attributes.Select(a => new AttributeChange(a.Key, null, ReviewDecider.Blank(a.Value))));
        var dataChanges = Corrections.DiffData(trial.Data, data);
        var attributeChanges = Corrections.DiffAttributes(trial.Attributes, attributes);
        if (dataChanges.Count == 0 && attributeChanges.Count == 0)
            throw new ValidationFailedException(new Dictionary<string, string[]> { [""] = ["The correction changes nothing."] });
        return new TrialCorrected(trial.TrialId, trial.ReviewId, dataChanges, attributeChanges,
            by with { Reason = command.Reason!.Trim(), Source = ReviewDecider.Blank(command.Source) });
    }

    public static TrialExcluded Handle(Trial trial, ExcludeTrial command, Provenance by)
    {
        RequireReason(command.Reason);
        EnsureVersion(trial, command.ExpectedVersion);
        if (trial.Status != TrialStatus.Included)
            throw new ConflictException($"Trial '{trial.TrialId}' is {trial.Status.ToString().ToLowerInvariant()}, not included.");
        return new TrialExcluded(trial.TrialId, trial.ReviewId, by with { Reason = command.Reason!.Trim() });
    }

    public static TrialReinstated Handle(Trial trial, ReinstateTrial command, Provenance by)
    {
        RequireReason(command.Reason);
        EnsureVersion(trial, command.ExpectedVersion);
        if (trial.Status != TrialStatus.Excluded)
            throw new ConflictException($"Trial '{trial.TrialId}' is {trial.Status.ToString().ToLowerInvariant()}; only an excluded trial can be reinstated.");
        return new TrialReinstated(trial.TrialId, trial.ReviewId, by with { Reason = command.Reason!.Trim() });
    }

    public static TrialRetracted Handle(Trial trial, RetractTrial command, Provenance by)
    {
        var errors = new FieldErrors();
        Rules.Text(errors, "reason", command.Reason, Rules.MaxLongText, required: true);
        Rules.Text(errors, "notice", command.Notice, Rules.MaxLongText, required: false);
        errors.ThrowIfAny();
        EnsureVersion(trial, command.ExpectedVersion);
        if (trial.Status == TrialStatus.Retracted)
            throw new ConflictException($"Trial '{trial.TrialId}' is already retracted.");
        return new TrialRetracted(trial.TrialId, trial.ReviewId, ReviewDecider.Blank(command.Notice), by with { Reason = command.Reason!.Trim() });
    }

    private static void ValidateData(FieldErrors errors, Review review, string outcome, IReadOnlyDictionary<string, double> values)
    {
        if (!review.Outcomes.TryGetValue(outcome, out var definition))
        {
            errors.Add($"data.{outcome}", $"review '{review.Id}' has no outcome '{outcome}'.");
            return;
        }
        OutcomeData.Validate(errors, $"data.{outcome}.", DataType.Find(definition.DataType)!, definition.Analysis.Measure, values);
    }

    private static void ValidateAttributes(FieldErrors errors, IReadOnlyDictionary<string, string?> attributes)
    {
        if (attributes.Count > Rules.MaxAttributes)
            errors.Add("attributes", $"must have at most {Rules.MaxAttributes} entries.");
        foreach (var (name, value) in attributes)
        {
            if (name.Length is 0 or > Rules.MaxIdLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                errors.Add($"attributes.{name}", "names must be letters, digits, '_' or '-', at most 64 characters.");
            else if (name is "year" or "id")
                errors.Add($"attributes.{name}", $"'{name}' is a field of the trial, not an attribute.");
            Rules.Text(errors, $"attributes.{name}", value, Rules.MaxShortText, required: false);
        }
    }

    private static void RequireReason(string? reason)
    {
        var errors = new FieldErrors();
        Rules.Text(errors, "reason", reason, Rules.MaxLongText, required: true);
        errors.ThrowIfAny();
    }

    private static void EnsureVersion(Trial trial, long expected)
    {
        if (trial.Version != expected)
            throw new VersionMismatchException(expected, trial.Version);
    }
}
