using System.Globalization;
using Evidence.Statistics;
using ScottPlot;

namespace Evidence.Api.Plots;

/// <summary>A study (or a cumulative step) drawn as a square, sized by weight, with its CI.</summary>
public sealed record ForestRow(string Label, double Estimate, double Lower, double Upper, double? Weight);

/// <summary>A pooled estimate drawn as a diamond, with its prediction interval as a dashed line.</summary>
public sealed record ForestSummary(string Label, double Estimate, double Lower, double Upper, double? PiLower, double? PiUpper);

/// <summary>Rows under an optional heading, closed by an optional subgroup diamond.</summary>
public sealed record ForestGroup(string? Heading, IReadOnlyList<ForestRow> Rows, ForestSummary? Summary);

/// <summary>
/// Draws forest plots: study names on the left, estimate [CI] and weight on the right, the x axis
/// labelled on the natural scale (ratios on a log axis, proportions on their analysis scale).
/// </summary>
public static class ForestPlot
{
    private const int RowHeight = 26;

    public static Plot Render(string title, MeasureScale scale, IReadOnlyList<ForestGroup> groups, ForestSummary? overall, out int height)
    {
        var plot = Style.NewPlot(title);
        var positions = new List<double>();
        var left = new List<string>();
        var right = new List<string>();
        var maxWeight = groups.SelectMany(g => g.Rows).Select(r => r.Weight ?? 0).DefaultIfEmpty(0).Max();
        double y = 0;

        void Label(double at, string l, string r)
        {
            positions.Add(at);
            left.Add(l);
            right.Add(r);
        }

        foreach (var group in groups)
        {
            if (group.Heading is not null)
                Label(--y, group.Heading, "");
            foreach (var row in group.Rows)
            {
                y--;
                var line = plot.Add.Line(row.Lower, y, row.Upper, y);
                line.LineColor = Colors.Black;
                line.LineWidth = 1.5f;
                var marker = plot.Add.Marker(row.Estimate, y);
                marker.Shape = MarkerShape.FilledSquare;
                marker.Color = Style.Study;
                marker.Size = (float)(row.Weight is { } w && maxWeight > 0 ? 5 + 12 * Math.Sqrt(w / maxWeight) : 7);
                Label(y, row.Label, Style.Interval(scale, row.Estimate, row.Lower, row.Upper) + (row.Weight is { } wt ? $"   {Weight(wt),5}%" : ""));
            }
            if (group.Summary is { } s)
            {
                Diamond(plot, s, --y, Style.Subgroup);
                Label(y, s.Label, Style.Interval(scale, s.Estimate, s.Lower, s.Upper));
            }
        }
        if (overall is not null)
        {
            y -= 1.5;
            Diamond(plot, overall, y, Style.Pooled);
            var pi = overall.PiLower is { } pl && overall.PiUpper is { } pu ? $"   PI {Style.Range(scale, pl, pu)}" : "";
            Label(y, overall.Label, Style.Interval(scale, overall.Estimate, overall.Lower, overall.Upper) + pi);
        }

        var xs = groups.SelectMany(g => g.Rows.SelectMany(r => new[] { r.Lower, r.Upper })
                .Concat(g.Summary is { } s ? [s.Lower, s.Upper] : []))
            .Concat(overall is null ? [] : new[] { overall.Lower, overall.Upper, overall.PiLower ?? overall.Lower, overall.PiUpper ?? overall.Upper })
            .Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        Style.NullLine(plot, scale);
        Style.NaturalAxis(plot, scale, xs.Min(), xs.Max());
        Style.RowLabels(plot, positions, left, right, y - 1);
        height = 130 + RowHeight * (int)Math.Ceiling(-y + 1);
        return plot;
    }

    /// <summary>A weight in percent; below 0.1% (a plot of thousands of studies) with its first significant digits rather than 0.0.</summary>
    private static string Weight(double percent) =>
        percent >= 0.1 || percent == 0 ? percent.ToString("0.0", CultureInfo.InvariantCulture)
        : percent < 0.001 ? "<0.001" : percent.ToString("0.00#", CultureInfo.InvariantCulture);

    private static void Diamond(Plot plot, ForestSummary s, double y, Color color)
    {
        var polygon = plot.Add.Polygon([new(s.Lower, y), new(s.Estimate, y + 0.35), new(s.Upper, y), new(s.Estimate, y - 0.35)]);
        polygon.FillColor = color;
        polygon.LineColor = color;
        if (s.PiLower is { } lo && s.PiUpper is { } hi && double.IsFinite(lo) && double.IsFinite(hi))
        {
            var line = plot.Add.Line(lo, y, hi, y);
            line.LineColor = color;
            line.LinePattern = LinePattern.Dashed;
        }
    }
}
