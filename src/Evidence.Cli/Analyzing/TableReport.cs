using System.Globalization;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Evidence.Cli.Analyzing;

/// <summary>A readable report: the pooled estimate on the natural scale, heterogeneity, studies with weights, and a text forest plot.</summary>
public static class TableReport
{
    private const int PlotWidth = 41;

    public static void Write(AnalysisResult result, IAnsiConsole console)
    {
        var s = result.Settings;
        console.WriteLine(Invariant($"{s.Measure}, {s.Method}, {(s.Test == Test.Knha ? "Knapp-Hartung t" : "z")} test{(s.Conventions == Conventions.RevMan5 ? ", RevMan 5 conventions" : "")}"));
        if (result.Regression is { } regression)
        {
            Regression(console, regression);
            return;
        }
        if (result.NotEstimable is { } why)
        {
            console.WriteLine();
            console.WriteLine(Invariant($"No estimate (k = {result.Overall?.K ?? result.StudyCount}): {why.Reason}"));
            if (result.Overall is { } fit)
                console.WriteLine(Invariant($"  Q({fit.QDf}) = {F(fit.Q)}, p = {P(fit.QP)}"));
            return;
        }
        if (result.Overall is not { } o)
        {
            console.WriteLine("No studies.");
            return;
        }

        var natural = o.Natural;
        console.WriteLine();
        console.WriteLine(Invariant($"Pooled estimate (k = {o.K}):  {F(natural?.Estimate ?? o.Estimate)}  95% CI [{F(natural?.CiLower ?? o.CiLower)}, {F(natural?.CiUpper ?? o.CiUpper)}]{(natural is null ? "" : "  (natural scale)")}"));
        if (natural is not null)
            console.WriteLine(Invariant($"  on the analysis scale:     {F(o.Estimate)}  [{F(o.CiLower)}, {F(o.CiUpper)}], se {F(o.Se)}"));
        console.WriteLine(Invariant($"  test: {(o.Df is { } df ? $"t({df})" : "z")} = {F(o.Statistic)}, p = {P(o.P)}"));
        if (o.PiLower is { } pl && o.PiUpper is { } pu)
            console.WriteLine(Invariant($"  95% prediction interval: [{F(natural?.PiLower ?? pl)}, {F(natural?.PiUpper ?? pu)}]"));
        console.WriteLine();
        console.WriteLine("Heterogeneity");
        if (o.Tau2 is { } tau2)
            console.WriteLine(Invariant($"  tau² = {F(tau2)}{(o.Tau2CiLower is { } tl ? $"  95% CI [{F(tl)}, {F(o.Tau2CiUpper ?? double.NaN)}] (Q-profile)" : "")}"));
        console.WriteLine(Invariant($"  I² = {o.I2:0.0}%   H² = {F(o.H2)}   Q({o.QDf}) = {F(o.Q)}, p = {P(o.QP)}"));

        if (result.Studies.Count > 0)
        {
            console.WriteLine();
            console.Write(Forest(result, o));
        }
        if (result.Subgroups is { } subgroups)
        {
            console.WriteLine();
            console.WriteLine(Invariant($"Subgroups by {subgroups.Variable}"));
            var table = Table("level", "k", "estimate [95% CI]", "tau²", "I²");
            foreach (var g in subgroups.Groups)
            {
                var fit = g.Fit;
                table.AddRow(Cells(g.Level, Invariant($"{fit.K}"), $"{F(fit.Natural?.Estimate ?? fit.Estimate)} [{F(fit.Natural?.CiLower ?? fit.CiLower)}, {F(fit.Natural?.CiUpper ?? fit.CiUpper)}]", F(fit.Tau2 ?? 0), Invariant($"{fit.I2:0.0}%")));
            }
            console.Write(table);
            console.WriteLine(Invariant($"  test for subgroup differences: Q({subgroups.QBetweenDf}) = {F(subgroups.QBetween)}, p = {P(subgroups.QBetweenP)}"));
        }
        if (result.Egger is { } egger)
        {
            console.WriteLine();
            console.WriteLine(Invariant($"Egger's test: t({egger.Df}) = {F(egger.Statistic)}, p = {P(egger.P)}; limit estimate {F(egger.LimitEstimate)}"));
        }
        foreach (var warning in result.Warnings)
            console.WriteLine($"warning: {warning}");
    }

    /// <summary>Each study's estimate, interval and weight beside its line on a common axis; the pooled estimate closes the table.</summary>
    private static Table Forest(AnalysisResult result, Pooled o)
    {
        var (min, max) = Range(result);
        var table = Table("Study", "yi", "95% CI", "weight", Axis(min, max));
        table.Columns[0].LeftAligned();
        table.Columns[4].LeftAligned().NoWrap();
        foreach (var study in result.Studies)
        {
            var half = 1.959963984540054 * Math.Sqrt(study.Vi);
            table.AddRow(Cells(study.Study, F(study.Yi), $"[{F(study.Yi - half)}, {F(study.Yi + half)}]", Invariant($"{study.Weight:0.0}%"),
                Bar(study.Yi - half, study.Yi, study.Yi + half, min, max, '■')));
        }
        var footer = new[] { "Pooled", F(o.Estimate), $"[{F(o.CiLower)}, {F(o.CiUpper)}]", "100.0%", Bar(o.CiLower, o.Estimate, o.CiUpper, min, max, '◆') };
        for (var i = 0; i < footer.Length; i++)
            table.Columns[i].Footer(new Text(footer[i]));
        return table;
    }

    private static void Regression(IAnsiConsole console, MetaRegression r)
    {
        console.WriteLine();
        console.WriteLine(Invariant($"Meta-regression (k = {r.K})"));
        var table = Table("", "estimate", "se", "statistic", "p", "95% CI");
        table.Columns[0].LeftAligned();
        foreach (var c in r.Coefficients)
            table.AddRow(Cells(c.Name, F(c.Coefficient.Estimate), F(c.Coefficient.Se), F(c.Coefficient.Statistic), P(c.Coefficient.P), $"[{F(c.Coefficient.CiLower)}, {F(c.Coefficient.CiUpper)}]"));
        console.Write(table);
        console.WriteLine(Invariant($"  residual tau² = {F(r.Tau2)}, I² = {r.I2:0.0}%, R² = {r.R2:0.0}%"));
        console.WriteLine(Invariant($"  test of moderators: QM({r.QMDf}) = {F(r.QM)}, p = {P(r.QMP)}"));
        console.WriteLine(Invariant($"  residual heterogeneity: QE({r.QEDf}) = {F(r.QE)}, p = {P(r.QEP)}"));
    }

    /// <summary>A table of right-aligned columns ruled above and below, under the header and above the footer.</summary>
    internal static Table Table(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Horizontal);
        foreach (var header in headers)
            table.AddColumn(new TableColumn(new Text(header)).RightAligned());
        return table;
    }

    /// <summary>Cells as plain text: study names and labels may hold characters that markup would read.</summary>
    internal static IRenderable[] Cells(params string[] cells) => [.. cells.Select(c => new Text(c))];

    private static (double Min, double Max) Range(AnalysisResult result)
    {
        var bounds = result.Studies.SelectMany(s => new[] { s.Yi - 1.96 * Math.Sqrt(s.Vi), s.Yi + 1.96 * Math.Sqrt(s.Vi) }).Append(0).ToList();
        return (bounds.Min(), bounds.Max());
    }

    /// <summary>A CI as a line with its estimate, and '|' at the line of no effect (0 on the analysis scale).</summary>
    private static string Bar(double lower, double estimate, double upper, double min, double max, char mark)
    {
        var line = new char[PlotWidth];
        Array.Fill(line, ' ');
        int At(double x) => (int)Math.Round(Math.Clamp((x - min) / (max - min), 0, 1) * (PlotWidth - 1));
        line[At(0)] = '|';
        for (var i = At(lower); i <= At(upper); i++)
            line[i] = '-';
        line[At(estimate)] = mark;
        return new string(line);
    }

    /// <summary>The plot's axis on the analysis scale: its lowest value at the left edge, its highest at the right.</summary>
    private static string Axis(double min, double max) =>
        $"{F(min)}{new string(' ', Math.Max(1, PlotWidth - F(min).Length - F(max).Length))}{F(max)}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string F(double x) => double.IsFinite(x) ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "NA";

    private static string P(double? p) => p is not { } v ? "NA" : v < 0.0001 ? v.ToString("0.00e+00", CultureInfo.InvariantCulture) : v.ToString("0.0000", CultureInfo.InvariantCulture);
}
