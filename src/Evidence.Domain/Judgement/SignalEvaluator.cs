using Evidence.Domain.Snapshots;

namespace Evidence.Domain.Judgement;

/// <summary>A version as the rules read it: its headline and the thresholds it was judged against (resolved, natural scale).</summary>
public sealed record SignalBasis(SnapshotSummary Summary, DecisionThresholds Thresholds);

/// <summary>
/// What the event that made a version did to its trial, as the trial rules read it.
/// </summary>
/// <param name="Type">The event's type (<c>TrialRecorded</c>, <c>TrialRetracted</c>, ...).</param>
/// <param name="TrialId">The trial the event is about; null for an outcome's own events.</param>
/// <param name="WasIncluded">The trial was in the outcome's analysis before the event.</param>
/// <param name="IsIncluded">The trial is in the outcome's analysis after it.</param>
/// <param name="Weight">The trial's weight in the new analysis, in percent; null when it is not in it or the fit gives none.</param>
public sealed record CauseFacts(string Type, string? TrialId, bool WasIncluded, bool IsIncluded, double? Weight);

/// <summary>
/// The rules of <see cref="SignalRules"/> applied to a version and the one before it: a pure
/// function, so the worker and a rebuild give the same signals. The first version of an outcome has
/// none, and neither does a comparison where either side has no estimate, except for the trial rules.
/// </summary>
public static class SignalEvaluator
{
    public static IReadOnlyList<Signal> Evaluate(SignalBasis? previous, SignalBasis current, SignalRules rules, CauseFacts cause)
    {
        var signals = new List<Signal>();
        if (previous is not null && previous.Summary.Estimable && current.Summary.Estimable)
            Significance(previous.Summary, current.Summary, rules.Significance, signals);
        if (previous is not null)
            TrialStatus(cause, rules.TrialStatus, signals);
        return signals;
    }

    private static void Significance(SnapshotSummary before, SnapshotSummary after, RuleSetting rule, List<Signal> signals)
    {
        if (!rule.Enabled || before.P is not { } p0 || after.P is not { } p1)
            return;
        var alpha = rule.Value ?? 0.05;
        if (p0 < alpha == p1 < alpha)
            return;
        var text = p1 < alpha ? $"now significant at {alpha}: p {p0:0.####} -> {p1:0.####}" : $"no longer significant at {alpha}: p {p0:0.####} -> {p1:0.####}";
        signals.Add(new Signal(SignalKinds.Significance, text, new Dictionary<string, double?> { ["p"] = p0 }, new Dictionary<string, double?> { ["p"] = p1 }));
    }

    private static void TrialStatus(CauseFacts cause, RuleSetting rule, List<Signal> signals)
    {
        if (!rule.Enabled || cause.TrialId is not { } trial || !cause.WasIncluded)
            return;
        var what = cause.Type switch
        {
            "TrialRetracted" => "retracted",
            "TrialExcluded" => "excluded",
            "TrialCorrected" => "corrected",
            _ => null,
        };
        if (what is null)
            return;
        signals.Add(new Signal(SignalKinds.TrialStatus, $"{trial}, in the analysis, was {what}",
            new Dictionary<string, double?>(), new Dictionary<string, double?>(), TrialId: trial));
    }
}
