namespace Evidence.Domain.Judgement;

/// <summary>
/// Sets an outcome's thresholds as a whole (a line not given is not set). <see cref="ControlRisk"/> is
/// a proportion, or the word <c>pooled</c>.
/// </summary>
public sealed record SetThresholds(
    string OutcomeId, long ExpectedVersion, double? Null, double? Lower, double? Upper, string? ControlRisk, bool? HigherIsBetter, string? Reason);

/// <summary>One rule's change: a setting not given keeps its current value.</summary>
public sealed record RuleChange(bool? Enabled, double? Value);

/// <summary>Changes some of an outcome's signal rules (the others keep theirs) and, when given, the I² bands.</summary>
public sealed record SetSignalRules(
    string OutcomeId, long ExpectedVersion, IReadOnlyDictionary<string, RuleChange> Rules, IReadOnlyList<I2Band>? Bands, string? Reason);
