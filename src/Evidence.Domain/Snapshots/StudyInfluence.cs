using Evidence.Statistics.Analyses;

namespace Evidence.Domain.Snapshots;

/// <summary>
/// How much one included trial moves a version's pooled estimate: the leave-one-out fit without it
/// (estimate and CI, analysis scale) and its shift, the estimate without the trial minus the
/// estimate with all. Null where the fit without it gives no finite value.
/// </summary>
public sealed record StudyInfluence(string TrialId, double? Shift, double? Estimate, double? CiLower, double? CiUpper)
{
    /// <summary>
    /// Each trial's influence from the result's leave-one-out section, the largest |shift| first
    /// (then by trial id; trials without a shift last); null when the result has no such section
    /// (fewer than two trials, no estimate, or the section not computed).
    /// </summary>
    public static IReadOnlyList<StudyInfluence>? Of(AnalysisResult result)
    {
        if (result.LeaveOneOut is not { } steps || result.Overall is not { } overall || !result.Estimable || !double.IsFinite(overall.Estimate))
            return null;
        return steps
            .Select(s => new StudyInfluence(s.Study, Finite(s.Fit.Estimate - overall.Estimate), Finite(s.Fit.Estimate), Finite(s.Fit.CiLower), Finite(s.Fit.CiUpper)))
            .OrderByDescending(s => s.Shift is { } shift ? Math.Abs(shift) : -1)
            .ThenBy(s => s.TrialId, StringComparer.Ordinal)
            .ToList();
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
