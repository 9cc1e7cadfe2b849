using Evidence.Domain.Outcomes;
using Evidence.Domain.Reviews;
using Evidence.Domain.Validation;
using Evidence.Statistics;

namespace Evidence.Domain.Trials;

/// <summary>Pure decisions on a trial's stream: (review, trial, command) -> event, throwing on a broken rule.</summary>
public static class TrialDecider
{
    /// <summary>The most trials one batch records.</summary>
    public const int MaxBatch = 1000;

    public static TrialRecorded Handle(Review review, Trial? current, RecordTrial command, Provenance by)
    {
        var errors = new FieldErrors();
        Validate(errors, "", review, command);
        errors.ThrowIfAny();
        if (current is not null)
            throw new ConflictException($"Trial '{command.Id}' already exists in review '{review.Id}'.");
        return Recorded(review, command, by, null);
    }

    /// <summary>
    /// A batch: every trial validated as one recorded alone, its errors named <c>trials[index].field</c>;
    /// an id that an earlier trial of the batch or a trial of the review (<paramref name="existing"/>)
    /// has is an error on <c>trials[index].id</c>. All trials or none: any error throws. Each trial
    /// gets its own event, marked with the batch (<paramref name="batchId"/>, its index, the count).
    /// </summary>
    public static IReadOnlyList<TrialRecorded> Handle(Review review, IReadOnlySet<string> existing, RecordTrials command, Provenance by, Guid batchId)
    {
        var errors = new FieldErrors();
        if (command.Trials.Count == 0)
            errors.Add("trials", "must hold at least one trial.");
        else if (command.Trials.Count > MaxBatch)
            errors.Add("trials", $"must hold at most {MaxBatch:N0} trials.");
        Rules.Text(errors, "reason", command.Reason, Rules.MaxLongText, required: false);
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < command.Trials.Count; i++)
        {
            var trial = command.Trials[i];
            Validate(errors, $"trials[{i}].", review, trial);
            if (trial.Id is not { } id || !Rules.IsSlug(id))
                continue;
            if (existing.Contains(id))
                errors.Add($"trials[{i}].id", $"trial '{id}' already exists in review '{review.Id}'.");
            else if (!first.TryAdd(id, i))
                errors.Add($"trials[{i}].id", $"is the id of trials[{first[id]}] too.");
        }
        errors.ThrowIfAny();
        var marked = by with { Reason = ReviewDecider.Blank(command.Reason) };
        return [.. command.Trials.Select((t, i) => Recorded(review, t, marked, new TrialBatch(batchId, i, command.Trials.Count)))];
    }

    private static void Validate(FieldErrors errors, string prefix, Review review, RecordTrial command)
    {
        Rules.Slug(errors, prefix + "id", command.Id);
        Rules.Year(errors, prefix + "year", command.Year);
        Rules.Text(errors, prefix + "source", command.Source, Rules.MaxLongText, required: true);
        Rules.Text(errors, prefix + "registryId", command.RegistryId, Rules.MaxShortText, required: false);
        ValidateAttributes(errors, prefix, command.Attributes!);
        foreach (var (outcome, values) in command.Data)
            ValidateData(errors, prefix, review, outcome, values);
    }

    private static TrialRecorded Recorded(Review review, RecordTrial command, Provenance by, TrialBatch? batch) =>
        new(command.Id!, review.Id, command.Year!.Value, command.Source!.Trim(),
            ReviewDecider.Blank(command.RegistryId), command.Attributes, command.Data, by, batch);

    public static TrialCorrected Handle(Review review, Trial trial, CorrectTrial command, Provenance by)
    {
        var errors = new FieldErrors();
        Rules.Text(errors, "reason", command.Reason, Rules.MaxLongText, required: true);
        Rules.Text(errors, "source", command.Source, Rules.MaxLongText, required: false);
        ValidateAttributes(errors, "", command.Attributes);
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
            ValidateData(errors, "", review, outcome, merged);
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

    private static void ValidateData(FieldErrors errors, string prefix, Review review, string outcome, IReadOnlyDictionary<string, double> values)
    {
        if (!review.Outcomes.TryGetValue(outcome, out var definition))
        {
            errors.Add($"{prefix}data.{outcome}", $"review '{review.Id}' has no outcome '{outcome}'.");
            return;
        }
        OutcomeData.Validate(errors, $"{prefix}data.{outcome}.", DataType.Find(definition.DataType)!, definition.Analysis.Measure, values);
    }

    private static void ValidateAttributes(FieldErrors errors, string prefix, IReadOnlyDictionary<string, string?> attributes)
    {
        if (attributes.Count > Rules.MaxAttributes)
            errors.Add($"{prefix}attributes", $"must have at most {Rules.MaxAttributes} entries.");
        foreach (var (name, value) in attributes)
        {
            if (name.Length is 0 or > Rules.MaxIdLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                errors.Add($"{prefix}attributes.{name}", "names must be letters, digits, '_' or '-', at most 64 characters.");
            else if (name is "year" or "id")
                errors.Add($"{prefix}attributes.{name}", $"'{name}' is a field of the trial, not an attribute.");
            Rules.Text(errors, $"{prefix}attributes.{name}", value, Rules.MaxShortText, required: false);
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
