namespace Evidence.Domain.Judgement;

/// <summary>
/// A rule that fired when a version was compared with the one before: what it is
/// (<see cref="SignalKinds"/>), a sentence a panel reads, and the values before and after it is
/// about (named, e.g. <c>p</c>, <c>ciLower</c>, <c>ciUpper</c>, <c>i2</c>, <c>weight</c>; natural scale
/// for estimates and intervals, like the thresholds). <see cref="Threshold"/> names the line crossed
/// (<c>null</c>, <c>lower</c>, <c>upper</c>) and <see cref="TrialId"/> the trial, where the rule is about one.
/// </summary>
public sealed record Signal(
    string Kind, string Text,
    IReadOnlyDictionary<string, double?> Before, IReadOnlyDictionary<string, double?> After,
    string? Threshold = null, string? TrialId = null);
