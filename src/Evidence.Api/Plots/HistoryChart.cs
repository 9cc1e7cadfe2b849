using Evidence.Domain.Access;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;
using Evidence.Statistics;
using ScottPlot;

namespace Evidence.Api.Plots;

/// <summary>The pooled estimate of every version with its CI as a band, each point labelled by its cause.</summary>
public static class HistoryChart
{
    public const int Height = 560;

    public static Plot Render(string outcomeName, MeasureScale scale, IReadOnlyList<(long Version, SnapshotCause Cause, SnapshotSummary Summary)> versions)
    {
        var plot = Style.NewPlot($"{outcomeName}: pooled estimate by version");
        var points = versions.Where(v => v.Summary is { Estimate: not null, CiLower: not null, CiUpper: not null }).ToList();
        if (points.Count > 0)
        {
            var xs = points.Select(p => (double)p.Version).ToArray();
            var band = plot.Add.FillY(xs, points.Select(p => p.Summary.CiLower!.Value).ToArray(), points.Select(p => p.Summary.CiUpper!.Value).ToArray());
            band.FillColor = Style.Study.WithAlpha(0.2);
            band.LineColor = Style.Study.WithAlpha(0.4);
            var line = plot.Add.Scatter(xs, points.Select(p => p.Summary.Estimate!.Value).ToArray());
            line.Color = Style.Pooled;
            line.MarkerSize = 8;
            line.LineWidth = 2;
            foreach (var (version, cause, summary) in points)
            {
                var text = plot.Add.Text($"{Cause(cause)} (k = {summary.K})", version, summary.Estimate!.Value);
                text.LabelFontSize = 11;
                text.LabelRotation = -30;
                text.OffsetY = -8;
                text.OffsetX = 6;
            }
            var values = points.SelectMany(p => new[] { p.Summary.CiLower!.Value, p.Summary.CiUpper!.Value }).Where(double.IsFinite).ToList();
            Style.NaturalAxis(plot, scale, values.Min(), values.Max(), vertical: true);
            plot.Axes.SetLimitsX(0.5, versions.Max(v => v.Version) + 1.5);
        }
        Style.NullLine(plot, scale, horizontal: true);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            versions.Select(v => (double)v.Version).ToArray(), versions.Select(v => $"v{v.Version}").ToArray());
        plot.XLabel("Snapshot version", size: 14);
        return plot;
    }

    /// <summary>
    /// A version's label: what its cause did. Every event type of the log has one (versions are caused
    /// by trial events and analysis changes only, but a label per type keeps the chart total); a type
    /// no longer known is shown by its name.
    /// </summary>
    public static string Cause(SnapshotCause c) =>
        c.Type switch
        {
            nameof(TrialRecorded) => $"+ {c.TrialId}",
            SnapshotCause.TrialsRecorded => $"+ {c.Batch?.TrialCount}",
            nameof(TrialCorrected) => $"corrected {c.TrialId}",
            nameof(TrialExcluded) => $"excluded {c.TrialId}",
            nameof(TrialReinstated) => $"reinstated {c.TrialId}",
            nameof(TrialRetracted) => $"retracted {c.TrialId}",
            nameof(OutcomeAnalysisChanged) => "analysis changed",
            nameof(OutcomeThresholdsSet) => "thresholds set",
            nameof(OutcomeSignalRulesSet) => "signal rules set",
            nameof(OutcomeSequentialSet) => "sequential analysis set",
            nameof(OutcomeDefined) => "outcome defined",
            nameof(ReviewCreated) => "review created",
            nameof(MemberAdded) => "member added",
            nameof(MemberRemoved) => "member removed",
            nameof(ReviewVisibilityChanged) => "visibility changed",
            _ => c.Type,
        };
}
