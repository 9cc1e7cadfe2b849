using System.Text.Json;
using Evidence.Domain.Snapshots;
using ScottPlot;

namespace Evidence.Api.Plots;

/// <summary>The forest and cumulative forest plots of one snapshot, and the estimate-over-versions chart.</summary>
public static class SnapshotPlots
{
    /// <summary>Studies with weights (grouped by subgroup when the outcome has one), subgroup and pooled diamonds, prediction interval.</summary>
    public static (Plot Plot, int Height) Forest(Snapshot s, string outcomeName)
    {
        var scale = Scale(s);
        var rows = s.Included.Where(i => i.Yi is not null && i.Vi is not null).Select(i => (Study: i, Row: StudyRow(i))).ToList();
        List<ForestGroup> groups;
        if (s.Settings.Subgroup is not null && s.Result.TryGetProperty("subgroups", out var subgroups))
        {
            var fits = subgroups.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("level").GetString() ?? "", g => g);
            groups = rows.GroupBy(r => r.Study.Subgroup ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ForestGroup($"{s.Settings.Subgroup}: {g.Key}", g.Select(r => r.Row).ToList(),
                    fits.TryGetValue(g.Key, out var fit) ? Summary(fit, $"{g.Key} (k = {g.Count()})") : null))
                .ToList();
        }
        else
            groups = [new ForestGroup(null, rows.Select(r => r.Row).ToList(), null)];

        var model = s.Settings.Method is "FE" or "MH" or "PETO" ? "Common effect" : "Random effects";
        var overall = s.Summary is { Estimate: { } e, CiLower: { } lo, CiUpper: { } hi }
            ? new ForestSummary($"{model} (k = {s.Summary.K})", e, lo, hi, s.Summary.PiLower, s.Summary.PiUpper)
            : null;
        var plot = ForestPlot.Render(Title(s, outcomeName, "forest plot"), scale, groups, overall, out var height);
        return (plot, height);
    }

    /// <summary>The pooled estimate after each study, in the outcome's cumulative order.</summary>
    public static (Plot Plot, int Height) Cumulative(Snapshot s, string outcomeName)
    {
        var rows = new List<ForestRow>();
        if (s.Result.TryGetProperty("cumulative", out var cumulative))
        {
            foreach (var step in cumulative.EnumerateArray())
            {
                if (Number(step, "estimate") is { } e && Number(step, "ci_lower") is { } lo && Number(step, "ci_upper") is { } hi)
                    rows.Add(new ForestRow($"+ {Label(s, step.GetProperty("study").GetString())}  (k = {step.GetProperty("k").GetInt32()})", e, lo, hi, null));
            }
        }
        var plot = ForestPlot.Render(Title(s, outcomeName, "cumulative meta-analysis"), Scale(s), [new ForestGroup(null, rows, null)], null, out var height);
        return (plot, height);
    }

    internal static NaturalScale Scale(Snapshot s)
    {
        var ns = s.Included.Select(i => i.Data.GetValueOrDefault("ni")).Where(n => n > 0).ToList();
        var harmonic = ns.Count == 0 ? 1 : ns.Count / ns.Sum(n => 1 / n);
        return NaturalScale.For(s.Settings.Measure, harmonic);
    }

    private static string Title(Snapshot s, string outcomeName, string kind) =>
        $"{outcomeName}: {kind}, version {s.Version}\n{s.Settings.Measure}, {s.Settings.Method}, {(s.Settings.Test == "knha" ? "Knapp-Hartung" : "z")} test";

    private static ForestRow StudyRow(IncludedStudy i)
    {
        var half = 1.959963984540054 * Math.Sqrt(i.Vi!.Value);
        return new ForestRow($"{i.TrialId} ({i.Year})", i.Yi!.Value, i.Yi.Value - half, i.Yi.Value + half, i.Weight);
    }

    private static string Label(Snapshot s, string? trialId) =>
        s.Included.FirstOrDefault(i => i.TrialId == trialId) is { } i ? $"{i.TrialId} ({i.Year})" : trialId ?? "";

    private static ForestSummary? Summary(JsonElement fit, string label) =>
        Number(fit, "estimate") is { } e && Number(fit, "ci_lower") is { } lo && Number(fit, "ci_upper") is { } hi
            ? new ForestSummary(label, e, lo, hi, Number(fit, "pi_lower"), Number(fit, "pi_upper"))
            : null;

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
