using Evidence.Domain.Snapshots;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;
using ScottPlot;

namespace Evidence.Api.Plots;

/// <summary>The forest and cumulative forest plots of one snapshot, and the estimate-over-versions chart.</summary>
public static class SnapshotPlots
{
    /// <summary>
    /// Studies with weights (grouped by subgroup when the outcome has one), subgroup and pooled
    /// diamonds, prediction interval: the studies of <paramref name="page"/>, in the order of the
    /// whole plot, with the pooled diamond on every page, a subgroup's heading on every page with its
    /// studies and its diamond on the page of its last one.
    /// </summary>
    public static (Plot Plot, int Height, int Total) Forest(Snapshot s, string outcomeName, PlotPage page)
    {
        var scale = Scale(s);
        var studies = s.Included.Where(i => i.Yi is not null && i.Vi is not null).ToList();
        List<(string? Heading, List<IncludedStudy> Studies, ForestSummary? Summary)> all;
        if (s.Settings.Subgroup is not null && s.Analysis().Subgroups is { } subgroups)
        {
            var fits = subgroups.Groups.ToDictionary(g => g.Level, g => g.Fit);
            all = studies.GroupBy(i => i.Subgroup ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => ((string?)$"{s.Settings.Subgroup}: {g.Key}", g.ToList(),
                    fits.TryGetValue(g.Key, out var fit) ? Summary(fit, $"{g.Key} (k = {g.Count()})") : null))
                .ToList();
        }
        else
            all = [(null, studies, null)];

        page.EnsureWithin(studies.Count);
        var groups = new List<ForestGroup>();
        var first = 0;
        foreach (var (heading, members, summary) in all)
        {
            var from = Math.Max(page.Skip, first);
            var to = Math.Min(page.Skip + page.Size, first + members.Count);
            if (from < to || studies.Count == 0)
                groups.Add(new ForestGroup(heading, members.Skip(from - first).Take(to - from).Select(StudyRow).ToList(),
                    to == first + members.Count ? summary : null));
            first += members.Count;
        }

        var model = MeasureCatalogue.ParseMethod(s.Settings.Method).RandomEffects ? "Random effects" : "Common effect";
        var overall = s.Summary is { Estimate: { } e, CiLower: { } lo, CiUpper: { } hi }
            ? new ForestSummary($"{model} (k = {s.Summary.K})", e, lo, hi, s.Summary.PiLower, s.Summary.PiUpper)
            : null;
        var plot = ForestPlot.Render(Title(s, outcomeName, "forest plot", page.Caption(studies.Count, "studies")), scale, groups, overall, out var height);
        return (plot, height, studies.Count);
    }

    /// <summary>The pooled estimate after each study, in the outcome's cumulative order: the steps of <paramref name="page"/>.</summary>
    public static (Plot Plot, int Height, int Total) Cumulative(Snapshot s, string outcomeName, PlotPage page)
    {
        var steps = (s.Analysis().Cumulative ?? []).Where(step => Finite(step.Fit)).ToList();
        page.EnsureWithin(steps.Count);
        var labels = s.Included.GroupBy(i => i.TrialId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var rows = steps.Skip(page.Skip).Take(page.Size)
            .Select(step => new ForestRow($"+ {Label(labels, step.Study)}  (k = {step.Fit.K})", step.Fit.Estimate, step.Fit.CiLower, step.Fit.CiUpper, null))
            .ToList();
        var title = Title(s, outcomeName, "cumulative meta-analysis", page.Caption(steps.Count, "steps"));
        var plot = ForestPlot.Render(title, Scale(s), [new ForestGroup(null, rows, null)], null, out var height);
        return (plot, height, steps.Count);
    }

    /// <summary>The snapshot's measure on one scale for the whole plot: PFT's at the harmonic mean of the included studies' ni (1 when none has one).</summary>
    internal static MeasureScale Scale(Snapshot s)
    {
        var ns = s.Included.Select(i => i.Data.GetValueOrDefault("ni")).Where(n => n > 0).ToList();
        return MeasureCatalogue.ParseMeasure(s.Settings.Measure).At(ns.Count == 0 ? 1 : MeasureScale.HarmonicMean(ns));
    }

    private static string Title(Snapshot s, string outcomeName, string kind, string? caption) =>
        $"{outcomeName}: {kind}, version {s.Version}\n{s.Settings.Measure}, {s.Settings.Method}, {(MeasureCatalogue.FindTest(s.Settings.Test) == Test.Knha ? "Knapp-Hartung" : "z")} test"
        + (caption is null ? "" : $"\n{caption}");

    private static ForestRow StudyRow(IncludedStudy i)
    {
        var half = 1.959963984540054 * Math.Sqrt(i.Vi!.Value);
        return new ForestRow($"{i.TrialId} ({i.Year})", i.Yi!.Value, i.Yi.Value - half, i.Yi.Value + half, i.Weight);
    }

    private static string Label(Dictionary<string, IncludedStudy> included, string? trialId) =>
        trialId is not null && included.TryGetValue(trialId, out var i) ? $"{i.TrialId} ({i.Year})" : trialId ?? "";

    private static ForestSummary? Summary(Pooled fit, string label) =>
        Finite(fit) ? new ForestSummary(label, fit.Estimate, fit.CiLower, fit.CiUpper, Finite(fit.PiLower), Finite(fit.PiUpper)) : null;

    /// <summary>A fit whose estimate and CI can be drawn.</summary>
    private static bool Finite(Pooled fit) => double.IsFinite(fit.Estimate) && double.IsFinite(fit.CiLower) && double.IsFinite(fit.CiUpper);

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
