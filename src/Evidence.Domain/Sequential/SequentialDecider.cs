using System.Globalization;
using Evidence.Domain.Reviews;
using Evidence.Domain.Validation;
using Evidence.Statistics;

namespace Evidence.Domain.Sequential;

/// <summary>
/// Pure decisions on an outcome's trial sequential analysis parameters: (review, command) -> event.
/// Like the thresholds, they need the review's current version (<c>If-Match</c>) and a reason; a
/// change that changes nothing is refused.
/// </summary>
public static class SequentialDecider
{
    /// <summary>The word that asks for the control risk pooled from the outcome's trials.</summary>
    public const string Pooled = "pooled";

    /// <summary>The measures a trial sequential analysis supports: binary RR, OR, RD and continuous MD.</summary>
    public static readonly IReadOnlyList<Measure> Supported = [Measure.RR, Measure.OR, Measure.RD, Measure.MD];

    /// <summary>The heterogeneity adjustments by name (besides a fraction).</summary>
    public static readonly IReadOnlyList<string> HeterogeneityWords = ["D2", "I2", "none"];

    /// <summary>The spending functions by name.</summary>
    public static readonly IReadOnlyList<string> SpendingWords = ["OBF", "Pocock"];

    /// <summary>
    /// Checks every field and names each bad one: alpha in (0, 0.5]; beta in (0, 1) with
    /// alpha + beta &lt; 1; a measure of <see cref="Supported"/>; for a binary outcome a control risk
    /// in (0, 1) or <c>pooled</c> and a relative risk reduction that is not 0 and below 1 (negative: a
    /// relative risk increase, for an outcome whose event is good) with
    /// pc (1 - rrr) in (0, 1); for MD a mean difference that is not 0 and an SD above 0; a
    /// heterogeneity word or a fraction in [0, 1); a spending function. No parameter at all clears
    /// the outcome's parameters.
    /// </summary>
    public static OutcomeSequentialSet Handle(Review review, SetSequential command, Provenance by)
    {
        if (!review.Outcomes.TryGetValue(command.OutcomeId, out var outcome))
            throw new NotFoundException("Outcome", command.OutcomeId);
        if (review.Version != command.ExpectedVersion)
            throw new VersionMismatchException(command.ExpectedVersion, review.Version);
        var errors = new FieldErrors();
        Rules.Text(errors, "reason", command.Reason, Rules.MaxLongText, required: true);
        SequentialSettings? next = null;
        if (!command.Clear)
            next = Validate(errors, outcome, command);
        errors.ThrowIfAny();
        if (next == outcome.Sequential)
        {
            var what = next is null ? "The outcome has no sequential analysis parameters to clear." : "The sequential analysis parameters are unchanged.";
            throw new ValidationFailedException(new Dictionary<string, string[]> { [""] = [what] });
        }
        return new OutcomeSequentialSet(review.Id, outcome.Id, outcome.Sequential, next, by with { Reason = command.Reason!.Trim() });
    }

    /// <summary>Whether <paramref name="settings"/> still fit an outcome pooled as <paramref name="measure"/>: null when they do, else why not.</summary>
    public static string? Misfit(SequentialSettings settings, string measure)
    {
        var m = MeasureCatalogue.ParseMeasure(measure).Measure;
        if (!Supported.Contains(m))
            return $"the outcome has sequential analysis parameters, which {measure} cannot use ({SupportedText}); clear them first.";
        var binary = settings.MeanDifference is null;
        return binary == (m == Measure.MD)
            ? $"the outcome's sequential analysis parameters are for {(binary ? "a binary" : "a continuous")} measure; set them for {measure} (or clear them) first."
            : null;
    }

    private static string SupportedText => "supported: RR, OR, RD (binary) and MD (continuous)";

    private static SequentialSettings? Validate(FieldErrors errors, Reviews.Outcome outcome, SetSequential c)
    {
        var before = errors.Count;
        var measure = MeasureCatalogue.ParseMeasure(outcome.Analysis.Measure).Measure;
        if (!Supported.Contains(measure))
            errors.Add("measure", $"trial sequential analysis is {SupportedText}; this outcome is pooled as {measure}.");

        if (c.Alpha is not { } alpha)
            errors.Add("alpha", "is required: the two-sided type I error, in (0, 0.5].");
        else if (!(alpha is > 0 and <= 0.5))
            errors.Add("alpha", "must be in (0, 0.5].");
        if (c.Beta is not { } beta)
            errors.Add("beta", "is required: the type II error (1 - power), in (0, 1).");
        else if (!(beta is > 0 and < 1))
            errors.Add("beta", "must be in (0, 1).");
        else if (c.Alpha is { } a && a is > 0 and <= 0.5 && a + beta >= 1)
            errors.Add("beta", "alpha + beta must be below 1.");

        double? risk = null;
        var pooled = false;
        if (measure == Measure.MD)
        {
            foreach (var (name, given) in new[] { ("controlRisk", c.ControlRisk is not null), ("relativeRiskReduction", c.RelativeRiskReduction is not null) })
            {
                if (given)
                    errors.Add(name, "applies to binary outcomes (RR, OR, RD); give meanDifference and standardDeviation for MD.");
            }
            if (c.MeanDifference is not { } md)
                errors.Add("meanDifference", "is required for MD: the anticipated mean difference, not 0.");
            else if (md == 0 || !double.IsFinite(md))
                errors.Add("meanDifference", "must be a finite number other than 0.");
            if (c.StandardDeviation is not { } sd)
                errors.Add("standardDeviation", "is required for MD: the anticipated standard deviation, above 0.");
            else if (!(sd > 0) || !double.IsFinite(sd))
                errors.Add("standardDeviation", "must be above 0.");
        }
        else if (Supported.Contains(measure))
        {
            foreach (var (name, given) in new[] { ("meanDifference", c.MeanDifference is not null), ("standardDeviation", c.StandardDeviation is not null) })
            {
                if (given)
                    errors.Add(name, "applies to continuous outcomes (MD); give controlRisk and relativeRiskReduction for a binary one.");
            }
            if (c.ControlRisk is not { } text)
                errors.Add("controlRisk", $"is required for {measure}: a proportion in (0, 1), or \"{Pooled}\".");
            else if (string.Equals(text, Pooled, StringComparison.OrdinalIgnoreCase))
                pooled = true;
            else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 1)
                risk = p;
            else
                errors.Add("controlRisk", $"must be a proportion between 0 and 1 (exclusive), or \"{Pooled}\".");
            if (c.RelativeRiskReduction is not { } rrr)
                errors.Add("relativeRiskReduction", "is required: the anticipated relative risk reduction, below 1 and not 0 (negative for a relative risk increase).");
            else if (rrr == 0 || !(rrr < 1) || !double.IsFinite(rrr))
                errors.Add("relativeRiskReduction", "must be below 1 and not 0 (negative for a relative risk increase).");
            else if (risk is { } pc && pc * (1 - rrr) is var pe && !(pe is > 0 and < 1))
                errors.Add("relativeRiskReduction", $"gives an experimental risk pc (1 - rrr) = {F(pe)}, outside (0, 1).");
        }

        var heterogeneity = Heterogeneity(errors, c.Heterogeneity);
        string? spending = null;
        if (c.Spending is null)
            errors.Add("spending", "is required: OBF or Pocock.");
        else if (SpendingWords.FirstOrDefault(w => string.Equals(w, c.Spending, StringComparison.OrdinalIgnoreCase)) is { } word)
            spending = word;
        else
            errors.Add("spending", "must be OBF (O'Brien-Fleming type) or Pocock.");

        if (errors.Count > before)
            return null;
        return new SequentialSettings(c.Alpha!.Value, c.Beta!.Value, heterogeneity!, spending!, risk, pooled,
            measure == Measure.MD ? null : c.RelativeRiskReduction, measure == Measure.MD ? c.MeanDifference : null, measure == Measure.MD ? c.StandardDeviation : null);
    }

    /// <summary>The heterogeneity as stored: <c>D2</c>, <c>I2</c>, <c>none</c>, or the fraction in invariant round-trip form.</summary>
    private static string? Heterogeneity(FieldErrors errors, string? text)
    {
        const string message = "must be D2, I2, none, or a fraction in [0, 1).";
        if (text is null)
        {
            errors.Add("heterogeneity", "is required: D2, I2, none, or a fraction in [0, 1).");
            return null;
        }
        if (HeterogeneityWords.FirstOrDefault(w => string.Equals(w, text, StringComparison.OrdinalIgnoreCase)) is { } word)
            return word;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h is >= 0 and < 1)
            return h.ToString("R", CultureInfo.InvariantCulture);
        errors.Add("heterogeneity", message);
        return null;
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
