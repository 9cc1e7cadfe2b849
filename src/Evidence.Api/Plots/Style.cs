using System.Globalization;
using Evidence.Statistics;
using ScottPlot;

namespace Evidence.Api.Plots;

/// <summary>What every Evidence chart shares: font, colours, natural-scale axis and labels.</summary>
public static class Style
{
    public const int Width = 1000;

    public static readonly Color Study = Colors.SteelBlue;
    public static readonly Color Subgroup = Colors.Gray;
    public static readonly Color Pooled = Colors.DarkRed;

    private static readonly double[] RatioTicks = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];
    private static readonly double[] ProportionTicks = [0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999];

    public static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title, size: 16);
        plot.Grid.IsVisible = false;
        return plot;
    }

    public static string Number(double x) => x.ToString(Math.Abs(x) >= 100 ? "0" : Math.Abs(x) >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    public static string Interval(MeasureScale scale, double estimate, double lower, double upper) =>
        $"{Number(scale.ToNatural(estimate))} {Range(scale, lower, upper)}";

    public static string Range(MeasureScale scale, double lower, double upper) =>
        $"[{Number(scale.ToNatural(lower))}, {Number(scale.ToNatural(upper))}]";

    /// <summary>The line of no effect (<see cref="MeasureDefinition.NullValue"/>): 0 on the analysis scale of ratios and differences; none for transformed proportions.</summary>
    public static void NullLine(Plot plot, MeasureScale scale, bool horizontal = false)
    {
        if (scale.NullValue is not { } none)
            return;
        var at = scale.ToAnalysis(none);
        var line = horizontal ? (ScottPlot.Plottables.AxisLine)plot.Add.HorizontalLine(at) : plot.Add.VerticalLine(at);
        line.LineColor = Colors.Gray;
        line.LinePattern = LinePattern.Dotted;
        line.LineWidth = 1;
    }

    /// <summary>Ticks placed on the analysis scale but labelled with natural values (0.5, 1, 2 for ratios).</summary>
    public static void NaturalAxis(Plot plot, MeasureScale scale, double min, double max, bool vertical = false)
    {
        var pad = Math.Max((max - min) * 0.05, 0.05);
        IAxis axis = vertical ? plot.Axes.Left : plot.Axes.Bottom;
        if (vertical)
        {
            plot.Axes.SetLimitsY(min - pad, max + pad);
            plot.YLabel(scale.AxisLabel, size: 14);
        }
        else
        {
            plot.Axes.SetLimitsX(min - pad, max + pad);
            plot.XLabel(scale.AxisLabel, size: 14);
        }
        if (!scale.Transformed)
            return;
        var candidates = scale.IsRatio ? RatioTicks : ProportionTicks;
        var ticks = candidates.Select(v => (Value: v, At: scale.ToAnalysis(v)))
            .Where(t => double.IsFinite(t.At) && t.At >= min - pad && t.At <= max + pad).ToList();
        while (ticks.Count > 9)
            ticks = ticks.Where((_, i) => i % 2 == 0).ToList();
        if (ticks.Count >= 2)
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                ticks.Select(t => t.At).ToArray(), ticks.Select(t => t.Value.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>Row labels on the left axis, and the numbers for each row on the right axis.</summary>
    public static void RowLabels(Plot plot, List<double> positions, List<string> left, List<string> right, double bottom)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions.ToArray(), left.ToArray());
        plot.Axes.Right.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions.ToArray(), right.ToArray());
        foreach (var axis in new[] { plot.Axes.Left, plot.Axes.Right })
        {
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
            axis.TickLabelStyle.FontSize = 13;
        }
        // Leave room for the longest label; the automatic layout measures ticks before they are set.
        plot.Axes.Right.MinimumSize = 14 + 7.5f * right.Select(r => r.Length).DefaultIfEmpty(0).Max();
        plot.Axes.Left.MinimumSize = 14 + 7.5f * left.Select(l => l.Length).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(bottom, 0, plot.Axes.Left);
        plot.Axes.SetLimitsY(bottom, 0, plot.Axes.Right);
    }
}
