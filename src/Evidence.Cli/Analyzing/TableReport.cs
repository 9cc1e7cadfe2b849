using System.Globalization;
using System.Text;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;

namespace Evidence.Cli.Analyzing;

/// <summary>A plain-text report: the pooled estimate on the natural scale, heterogeneity, studies with weights, and a text forest plot.</summary>
public static class TableReport
{
    private const int PlotWidth = 41;

    public static string Write(AnalysisResult result)
    {
        var s = result.Settings;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{s.Measure}, {s.Method}, {(s.Test == Test.Knha ? "Knapp-Hartung t" : "z")} test");
        if (result.Regression is { } regression)
            return Regression(text, regression);
        if (result.NotEstimable is { } why)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"No estimate (k = {result.Overall?.K ?? result.StudyCount}): {why.Reason}");
            if (result.Overall is { } fit)
                text.AppendLine(CultureInfo.InvariantCulture, $"  Q({fit.QDf}) = {F(fit.Q)}, p = {P(fit.QP)}");
            return text.ToString();
        }
        if (result.Overall is not { } o)
            return text.AppendLine("No studies.").ToString();

        var natural = o.Natural;
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Pooled estimate (k = {o.K}):  {F(natural?.Estimate ?? o.Estimate)}  95% CI [{F(natural?.CiLower ?? o.CiLower)}, {F(natural?.CiUpper ?? o.CiUpper)}]{(natural is null ? "" : "  (natural scale)")}");
        if (natural is not null)
            text.AppendLine(CultureInfo.InvariantCulture, $"  on the analysis scale:     {F(o.Estimate)}  [{F(o.CiLower)}, {F(o.CiUpper)}], se {F(o.Se)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  test: {(o.Df is { } df ? $"t({df})" : "z")} = {F(o.Statistic)}, p = {P(o.P)}");
        if (o.PiLower is { } pl && o.PiUpper is { } pu)
            text.AppendLine(CultureInfo.InvariantCulture, $"  95% prediction interval: [{F(natural?.PiLower ?? pl)}, {F(natural?.PiUpper ?? pu)}]");
        text.AppendLine();
        text.AppendLine("Heterogeneity");
        if (o.Tau2 is { } tau2)
            text.AppendLine(CultureInfo.InvariantCulture, $"  tau² = {F(tau2)}{(o.Tau2CiLower is { } tl ? $"  95% CI [{F(tl)}, {F(o.Tau2CiUpper ?? double.NaN)}] (Q-profile)" : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  I² = {o.I2:0.0}%   H² = {F(o.H2)}   Q({o.QDf}) = {F(o.Q)}, p = {P(o.QP)}");

        if (result.Studies.Count > 0)
        {
            text.AppendLine();
            var width = Math.Max(12, result.Studies.Max(x => x.Study.Length));
            var (min, max) = Range(result);
            text.AppendLine(CultureInfo.InvariantCulture, $"{"Study".PadRight(width)}  {"yi",9} {"95% CI",20} {"weight",7}  ");
            foreach (var study in result.Studies)
            {
                var half = 1.959963984540054 * Math.Sqrt(study.Vi);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{study.Study.PadRight(width)}  {F(study.Yi),9} {$"[{F(study.Yi - half)}, {F(study.Yi + half)}]",20} {study.Weight,6:0.0}%  {Bar(study.Yi - half, study.Yi, study.Yi + half, min, max, '■')}");
            }
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{"Pooled".PadRight(width)}  {F(o.Estimate),9} {$"[{F(o.CiLower)}, {F(o.CiUpper)}]",20} {100,6:0.0}%  {Bar(o.CiLower, o.Estimate, o.CiUpper, min, max, '◆')}");
            text.AppendLine(CultureInfo.InvariantCulture, $"{new string(' ', width + 41)}{Axis(min, max)}");
        }
        if (result.Subgroups is { } subgroups)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Subgroups by {subgroups.Variable}");
            foreach (var g in subgroups.Groups)
                text.AppendLine(CultureInfo.InvariantCulture, $"  {g.Level,-16} k = {g.Fit.K,-3} {F(g.Fit.Natural?.Estimate ?? g.Fit.Estimate)} [{F(g.Fit.Natural?.CiLower ?? g.Fit.CiLower)}, {F(g.Fit.Natural?.CiUpper ?? g.Fit.CiUpper)}]  tau² = {F(g.Fit.Tau2 ?? 0)}  I² = {g.Fit.I2:0.0}%");
            text.AppendLine(CultureInfo.InvariantCulture, $"  test for subgroup differences: Q({subgroups.QBetweenDf}) = {F(subgroups.QBetween)}, p = {P(subgroups.QBetweenP)}");
        }
        if (result.Egger is { } egger)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Egger's test: t({egger.Df}) = {F(egger.Statistic)}, p = {P(egger.P)}; limit estimate {F(egger.LimitEstimate)}");
        }
        foreach (var warning in result.Warnings)
            text.AppendLine(CultureInfo.InvariantCulture, $"warning: {warning}");
        return text.ToString();
    }

    private static string Regression(StringBuilder text, MetaRegression r)
    {
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Meta-regression (k = {r.K})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"",-12} {"estimate",10} {"se",10} {"statistic",10} {"p",10}  95% CI");
        foreach (var c in r.Coefficients)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {c.Name,-12} {F(c.Coefficient.Estimate),10} {F(c.Coefficient.Se),10} {F(c.Coefficient.Statistic),10} {P(c.Coefficient.P),10}  [{F(c.Coefficient.CiLower)}, {F(c.Coefficient.CiUpper)}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"  residual tau² = {F(r.Tau2)}, I² = {r.I2:0.0}%, R² = {r.R2:0.0}%");
        text.AppendLine(CultureInfo.InvariantCulture, $"  test of moderators: QM({r.QMDf}) = {F(r.QM)}, p = {P(r.QMP)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  residual heterogeneity: QE({r.QEDf}) = {F(r.QE)}, p = {P(r.QEP)}");
        return text.ToString();
    }

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

    private static string Axis(double min, double max) =>
        $"{F(min)}{new string(' ', Math.Max(1, PlotWidth - F(min).Length - F(max).Length))}{F(max)}";

    private static string F(double x) => double.IsFinite(x) ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "NA";

    private static string P(double? p) => p is not { } v ? "NA" : v < 0.0001 ? v.ToString("0.00e+00", CultureInfo.InvariantCulture) : v.ToString("0.0000", CultureInfo.InvariantCulture);
}
