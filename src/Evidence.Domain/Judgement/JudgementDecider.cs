using System.Globalization;
using Evidence.Domain.Reviews;
using Evidence.Domain.Validation;
using Evidence.Statistics;

namespace Evidence.Domain.Judgement;

/// <summary>
/// Pure decisions on an outcome's thresholds and signal rules: (review, command) -> event. Both
/// need the review's current version (<c>If-Match</c>) and a reason, and a change that changes
/// nothing is refused.
/// </summary>
public static class JudgementDecider
{
    /// <summary>The word that asks for the control risk pooled from the outcome's trials.</summary>
    public const string Pooled = "pooled";

    /// <summary>The measures whose natural scale a control risk turns into absolute risks.</summary>
    public static readonly IReadOnlyList<Measure> RelativeRiskMeasures = [Measure.RR, Measure.OR, Measure.PETO];

    /// <summary>
    /// Thresholds on the natural scale of the outcome's measure: finite, above 0 for a ratio,
    /// lower &lt; null &lt; upper (lower &lt; upper where the measure has no null); a control risk in
    /// (0, 1) or <c>pooled</c>, for a binary outcome pooled as a ratio only.
    /// </summary>
    public static OutcomeThresholdsSet Handle(Review review, SetThresholds command, Provenance by)
    {
        var outcome = Outcome(review, command.OutcomeId);
        EnsureVersion(review, command.ExpectedVersion);
        var measure = MeasureCatalogue.ParseMeasure(outcome.Analysis.Measure);
        var errors = new FieldErrors();
        Rules.Text(errors, "reason", command.Reason, Rules.MaxLongText, required: true);
        foreach (var (name, value) in new[] { ("null", command.Null), ("lower", command.Lower), ("upper", command.Upper) })
        {
            if (value is { } v && measure.IsRatio && v <= 0)
                errors.Add(name, $"must be above 0: {measure.Name} is a ratio.");
        }
        var none = command.Null ?? measure.NullValue;
        if (command.Lower is { } lower && none is { } n1 && lower >= n1)
            errors.Add("lower", $"must be below the null ({Format(n1)}).");
        if (command.Upper is { } upper && none is { } n2 && upper <= n2)
            errors.Add("upper", $"must be above the null ({Format(n2)}).");
        if (command.Lower is { } l && command.Upper is { } u && l >= u)
            errors.Add("upper", "must be above lower.");

        double? risk = null;
        var pooled = false;
        if (command.ControlRisk is { } text)
        {
            if (outcome.DataType != DataType.Binary.Name || !RelativeRiskMeasures.Contains(measure.Measure))
                errors.Add("controlRisk", $"applies to binary outcomes pooled as {string.Join(", ", RelativeRiskMeasures)}; this one is pooled as {measure.Name}.");
            else if (text == Pooled)
                pooled = true;
            else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 1)
                risk = p;
            else
                errors.Add("controlRisk", $"must be a proportion between 0 and 1 (exclusive), or \"{Pooled}\".");
        }
        errors.ThrowIfAny();
        var next = new DecisionThresholds(command.Null, command.Lower, command.Upper, risk, pooled, command.HigherIsBetter ?? false);
        if (next == (outcome.Thresholds ?? DecisionThresholds.None))
            throw Unchanged("thresholds");
        return new OutcomeThresholdsSet(review.Id, outcome.Id, outcome.Thresholds, next, by with { Reason = command.Reason!.Trim() });
    }

    /// <summary>
    /// Rules by name (<see cref="SignalKinds"/>): a parameter only where the rule has one, alpha and a
    /// weight in (0, 1), a relative change above 0; 1 to 10 I² bands within 0-100, each named.
    /// </summary>
    public static OutcomeSignalRulesSet Handle(Review review, SetSignalRules command, Provenance by)
    {
        var outcome = Outcome(review, command.OutcomeId);
        EnsureVersion(review, command.ExpectedVersion);
        var current = outcome.RulesInForce;
        var errors = new FieldErrors();
        Rules.Text(errors, "reason", command.Reason, Rules.MaxLongText, required: true);
        var settings = current.Named().ToDictionary(r => r.Name, r => r.Setting, StringComparer.Ordinal);
        foreach (var (name, change) in command.Rules)
        {
            var path = $"rules.{name}";
            if (!settings.TryGetValue(name, out var setting))
            {
                errors.Add(path, $"is not a rule; the rules are {string.Join(", ", SignalKinds.All)}.");
                continue;
            }
            if (change.Value is { } value && ParameterProblem(name, value) is { } problem)
                errors.Add($"{path}.value", problem);
            settings[name] = new RuleSetting(change.Enabled ?? setting.Enabled, change.Value ?? setting.Value);
        }
        if (command.Bands is { } bands)
            ValidateBands(errors, bands);
        errors.ThrowIfAny();
        var next = new SignalRules(
            settings[SignalKinds.Significance], settings[SignalKinds.Direction], settings[SignalKinds.CiNull], settings[SignalKinds.PiNull],
            settings[SignalKinds.CiThreshold], settings[SignalKinds.PiThreshold], settings[SignalKinds.EstimateThreshold],
            settings[SignalKinds.RelativeChange], settings[SignalKinds.Heterogeneity], settings[SignalKinds.NewTrialWeight], settings[SignalKinds.TrialStatus],
            command.Bands ?? current.Bands, settings[SignalKinds.SequentialBoundary], settings[SignalKinds.InformationSize]);
        if (Same(next, current))
            throw Unchanged("signal rules");
        return new OutcomeSignalRulesSet(review.Id, outcome.Id, outcome.Rules, next, by with { Reason = command.Reason!.Trim() });
    }

    private static string? ParameterProblem(string rule, double value) => rule switch
    {
        SignalKinds.Significance or SignalKinds.NewTrialWeight when value is <= 0 or >= 1 => "must be between 0 and 1 (exclusive).",
        SignalKinds.Significance or SignalKinds.NewTrialWeight => null,
        SignalKinds.RelativeChange when value <= 0 || !double.IsFinite(value) => "must be above 0.",
        SignalKinds.RelativeChange => null,
        _ => "this rule has no parameter.",
    };

    private static void ValidateBands(FieldErrors errors, IReadOnlyList<I2Band> bands)
    {
        if (bands.Count is 0 or > 10)
            errors.Add("bands", "must hold 1 to 10 bands.");
        for (var i = 0; i < bands.Count; i++)
        {
            var band = bands[i];
            if (band.From is < 0 or > 100 || !double.IsFinite(band.From))
                errors.Add($"bands[{i}].from", "must be an I² in percent, 0 to 100.");
            if (band.To is < 0 or > 100 || !double.IsFinite(band.To))
                errors.Add($"bands[{i}].to", "must be an I² in percent, 0 to 100.");
            else if (band.To < band.From)
                errors.Add($"bands[{i}].to", "must not be below from.");
            Rules.Text(errors, $"bands[{i}].label", band.Label, Rules.MaxShortText, required: true);
        }
    }

    /// <summary>Records compare lists by reference; rules compare by their settings and bands.</summary>
    private static bool Same(SignalRules a, SignalRules b) =>
        a.Named().SequenceEqual(b.Named()) && a.Bands.SequenceEqual(b.Bands);

    private static Outcome Outcome(Review review, string outcomeId) =>
        review.Outcomes.TryGetValue(outcomeId, out var outcome) ? outcome : throw new NotFoundException("Outcome", outcomeId);

    private static void EnsureVersion(Review review, long expected)
    {
        if (review.Version != expected)
            throw new VersionMismatchException(expected, review.Version);
    }

    private static ValidationFailedException Unchanged(string what) =>
        new(new Dictionary<string, string[]> { [""] = [$"The {what} are unchanged."] });

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
