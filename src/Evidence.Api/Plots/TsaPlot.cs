using System.Globalization;
using Evidence.Domain.Sequential;
using Evidence.Statistics.Numerics;
using ScottPlot;

namespace Evidence.Api.Plots;

/// <summary>
/// The trial sequential analysis of one version: the cumulative Z-curve over information
/// (cumulative participants), one point per look labelled with its version; the monitoring
/// boundaries above and below, joined through the monitored looks and held at the final look's
/// value beyond it; the conventional two-sided boundary at the outcome's alpha (±1.96 at 0.05)
/// dashed; and the required information size (adjusted) as a vertical line.
/// </summary>
public static class TsaPlot
{
    public const int Height = 720;

    /// <summary>Z beyond this is drawn at the edge: the first boundaries of O'Brien-Fleming spending reach 6-8 and would flatten the rest.</summary>
    private const double MaxZShown = 8;

    private static readonly Color Curve = Style.Study;
    private static readonly Color Boundary = Style.Pooled;
    private static readonly Color ConventionalColour = Colors.Gray;
    private static readonly Color Ris = Colors.DarkGreen;

    public static Plot Render(string outcomeName, long version, SequentialSection s)
    {
        var plot = Style.NewPlot(Title(outcomeName, version, s));
        var looks = s.Looks;
        var conventional = Conventional(s.Settings.Alpha);
        var hasRis = HasRis(s);
        var xMax = Math.Max(Math.Max(hasRis ? s.RisAdjusted : 0, looks.Select(l => l.Participants).DefaultIfEmpty(0).Max()), 10) * 1.1;
        var zMax = Math.Min(MaxZShown, new[] { conventional }
            .Concat(looks.Select(l => Math.Abs(l.Z))).Concat(looks.Select(l => l.Boundary ?? 0)).Where(double.IsFinite).Max()) * 1.12;

        var lines = Boundaries(plot, looks, xMax);
        foreach (var sign in new[] { 1, -1 })
        {
            var line = plot.Add.HorizontalLine(sign * conventional);
            line.LineColor = ConventionalColour;
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 1.5f;
        }
        var zero = plot.Add.HorizontalLine(0);
        zero.LineColor = Colors.LightGray;
        zero.LineWidth = 1;

        if (hasRis)
        {
            var ris = plot.Add.VerticalLine(s.RisAdjusted);
            ris.LineColor = Ris;
            ris.LineWidth = 2;
            ris.LinePattern = LinePattern.DenselyDashed;
            var risLabel = plot.Add.Text($"RIS {Participants(s.RisAdjusted)}", s.RisAdjusted, zMax);
            risLabel.LabelFontSize = 12;
            risLabel.LabelFontColor = Ris;
            risLabel.LabelBold = true;
            risLabel.LabelAlignment = Alignment.UpperRight;
            risLabel.OffsetX = -4;
            risLabel.OffsetY = 4;
        }

        var drawn = looks.Where(l => double.IsFinite(l.Z) && double.IsFinite(l.Participants)).ToList();
        var fell = ZCurve(plot, drawn, lines);

        plot.Axes.SetLimitsX(0, xMax);
        // Room for the last tick's label, which falls on the right edge.
        plot.Axes.Right.MinimumSize = 24;
        plot.Axes.SetLimitsY(-zMax, zMax);
        plot.XLabel("Information: cumulative participants", size: 14);
        plot.YLabel("Cumulative Z", size: 14);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Participants, TickDensity = 0.5 };

        // Below the axes, where it never hides a look or a boundary.
        plot.Legend.ManualItems.AddRange(Legend(s, conventional, fell));
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.FontSize = 12;

        var soft = new List<(Coordinates A, Coordinates B)> { (new(0, 0), new(xMax, 0)) };
        soft.AddRange(new[] { 1, -1 }.Select(sign => (new Coordinates(0, sign * conventional), new Coordinates(xMax, sign * conventional))));
        if (hasRis)
            soft.Add((new(s.RisAdjusted, -zMax), new(s.RisAdjusted, zMax)));
        var labels = drawn.Select((l, i) => new TsaLabel(l.Participants, Clamp(l.Z), $"v{l.Version}", l.Z >= 0, l.Crossed, i == drawn.Count - 1)).ToList();
        TsaLabels.Place(plot, Style.Width, Height, labels, lines, soft);
        return plot;
    }

    /// <summary>Outcome and version; the sensitivity-analysis label; the RIS with what it assumed; alpha, beta and the spending function.</summary>
    public static string Title(string outcomeName, long version, SequentialSection s)
    {
        var last = s.Looks.Count > 0 ? s.Looks[^1] : null;
        var fraction = last is null ? "" : $" ({Percent(last.T)} reached)";
        var ris = HasRis(s) ? $"RIS {Participants(s.RisAdjusted)} participants{fraction}: {Heterogeneity(s)}" : "No required information size";
        return $"{outcomeName}, version {version}\n"
            + "Trial sequential analysis: a sensitivity analysis, not the main analysis\n"
            + $"{ris}\n" + (s.Note is { } note ? $"{note}\n" : "")
            + $"{Effect(s)}\n"
            + $"alpha {Decimal(s.Settings.Alpha)}, beta {Decimal(s.Settings.Beta)} (power {Percent(1 - s.Settings.Beta)}), {Spending(s.Settings.Spending)} alpha spending";
    }

    /// <summary>Whether the section has a required information size (none when, say, the pooled control risk is 0: its note says why).</summary>
    public static bool HasRis(SequentialSection s) => double.IsFinite(s.RisAdjusted) && s.RisAdjusted > 0;

    /// <summary>How the RIS was adjusted: by D² or I² (their value), a given fraction, or not at all; with the unadjusted RIS.</summary>
    public static string Heterogeneity(SequentialSection s)
    {
        var unadjusted = $"unadjusted {Participants(s.Ris)}";
        return s.Settings.Heterogeneity.ToUpperInvariant() switch
        {
            "D2" => $"{unadjusted}, adjusted by D² = {Fraction(s.HeterogeneityFraction)}",
            "I2" => $"{unadjusted}, adjusted by I² = {Fraction(s.HeterogeneityFraction)}",
            "NONE" => "not adjusted for heterogeneity",
            _ => $"{unadjusted}, adjusted by a heterogeneity of {Fraction(s.HeterogeneityFraction)} (given)",
        };
    }

    /// <summary>The anticipated effect the RIS is powered for.</summary>
    public static string Effect(SequentialSection s)
    {
        var settings = s.Settings;
        if (settings.MeanDifference is { } delta)
            return $"mean difference {Decimal(delta)}, SD {Decimal(settings.StandardDeviation ?? double.NaN)}";
        var risk = s.ControlRisk ?? settings.ControlRisk;
        var source = settings.PooledControlRisk ? " (pooled control arms)" : "";
        var rrr = settings.RelativeRiskReduction is { } r
            ? r < 0 ? $"relative risk increase {Percent(-r)}" : $"relative risk reduction {Percent(r)}"
            : "relative risk reduction not given";
        return $"control risk {(risk is { } p ? Percent(p) : "not known")}{source}, {rrr}";
    }

    /// <summary>The conventional two-sided critical value, z at 1 - alpha/2 (1.96 at 0.05): the boundary of a single look.</summary>
    public static double Conventional(double alpha) => Distributions.NormalQuantile(1 - alpha / 2);

    public static string Spending(string spending) =>
        spending.Equals("OBF", StringComparison.OrdinalIgnoreCase) ? "O'Brien-Fleming-type"
        : spending.Equals("Pocock", StringComparison.OrdinalIgnoreCase) ? "Pocock-type" : spending;

    public static string Participants(double n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString(fraction < 0.1 ? "0.#" : "0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Alpha spent as the pages print it: four decimals, and the tiny amounts of the first O'Brien-Fleming looks in scientific notation rather than as 0.</summary>
    public static string AlphaSpent(double a) =>
        a == 0 || a >= 0.0001 ? a.ToString("0.0000", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.') : a.ToString("0.0E+0", CultureInfo.InvariantCulture);

    private static string Decimal(double x) => x.ToString("0.0###", CultureInfo.InvariantCulture);

    private static string Fraction(double x) => x.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// The boundaries at the monitored looks (interim and final) in order of information, above and
    /// below; beyond the final look they stay at its value to the edge of the plot (no alpha is left
    /// to spend, and later looks are judged against it).
    /// </summary>
    private static List<(Coordinates A, Coordinates B)> Boundaries(Plot plot, IReadOnlyList<SequentialLookView> looks, double xMax)
    {
        var segments = new List<(Coordinates A, Coordinates B)>();
        var monitored = looks.Where(l => l.Boundary is not null && l.LookType is "interim" or "final")
            .OrderBy(l => l.Participants).Select(l => (X: l.Participants, Y: l.Boundary!.Value)).ToList();
        if (monitored.Count == 0)
            return segments;
        var final = looks.FirstOrDefault(l => l.LookType == "final" && l.Boundary is not null);
        var points = monitored.ToList();
        if (final is not null)
            points.Add((xMax, final.Boundary!.Value));
        foreach (var sign in new[] { 1, -1 })
        {
            var ys = points.Select(p => sign * Math.Min(p.Y, MaxZShown * 1.5)).ToArray();
            for (var i = 1; i < points.Count; i++)
                segments.Add((new(points[i - 1].X, ys[i - 1]), new(points[i].X, ys[i])));
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), ys);
            line.Color = Boundary;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            var ticks = plot.Add.Scatter(monitored.Select(p => p.X).ToArray(), monitored.Select(p => sign * Math.Min(p.Y, MaxZShown * 1.5)).ToArray());
            ticks.LineWidth = 0;
            ticks.MarkerShape = MarkerShape.FilledDiamond;
            ticks.MarkerSize = 7;
            ticks.Color = Boundary;
        }
        return segments;
    }

    /// <summary>
    /// The Z of each look, joined in version order: a segment into a look with fewer participants than
    /// the one before (an exclusion or a retraction) is dotted. Looks without a boundary are hollow,
    /// looks that crossed are ringed. Adds its segments to <paramref name="segments"/>; returns whether information ever fell.
    /// </summary>
    private static bool ZCurve(Plot plot, IReadOnlyList<SequentialLookView> looks, List<(Coordinates A, Coordinates B)> segments)
    {
        var fell = false;
        for (var i = 1; i < looks.Count; i++)
        {
            var (a, b) = (looks[i - 1], looks[i]);
            segments.Add((new(a.Participants, Clamp(a.Z)), new(b.Participants, Clamp(b.Z))));
            var segment = plot.Add.Line(a.Participants, Clamp(a.Z), b.Participants, Clamp(b.Z));
            segment.LineColor = Curve;
            segment.LineWidth = 2.5f;
            if (b.Participants < a.Participants)
            {
                segment.LinePattern = LinePattern.Dotted;
                fell = true;
            }
        }
        foreach (var look in looks)
        {
            var marker = plot.Add.Marker(look.Participants, Clamp(look.Z));
            marker.Size = 9;
            marker.Shape = look.LookType == "none" ? MarkerShape.OpenCircle : MarkerShape.FilledCircle;
            marker.Color = Curve;
            marker.LineWidth = 2;
            if (look.Crossed)
            {
                var ring = plot.Add.Marker(look.Participants, Clamp(look.Z));
                ring.Shape = MarkerShape.OpenCircle;
                ring.Size = 17;
                ring.LineWidth = 2;
                ring.Color = Boundary;
            }
        }
        return fell;
    }

    private static double Clamp(double z) => Math.Clamp(z, -MaxZShown * 1.05, MaxZShown * 1.05);

    private static List<LegendItem> Legend(SequentialSection s, double conventional, bool fell)
    {
        var items = new List<LegendItem>
        {
            new() { LabelText = "Cumulative Z (one point per version that changed the data)", LineColor = Curve, LineWidth = 2.5f, MarkerShape = MarkerShape.FilledCircle, MarkerColor = Curve, MarkerSize = 8 },
            new() { LabelText = $"Monitoring boundaries ({Spending(s.Settings.Spending)})", LineColor = Boundary, LineWidth = 2 },
            new() { LabelText = $"Conventional boundaries (±{conventional.ToString("0.00", CultureInfo.InvariantCulture)})", LineColor = ConventionalColour, LineWidth = 1.5f, LinePattern = LinePattern.Dashed },
        };
        if (HasRis(s))
            items.Add(new() { LabelText = $"Required information size ({Participants(s.RisAdjusted)})", LineColor = Ris, LineWidth = 2, LinePattern = LinePattern.DenselyDashed });
        if (s.Looks.Any(l => l.LookType == "none"))
            items.Add(new() { LabelText = "Look without a boundary", MarkerShape = MarkerShape.OpenCircle, MarkerColor = Curve, MarkerSize = 8, MarkerLineWidth = 2 });
        if (s.Looks.Any(l => l.Crossed))
            items.Add(new() { LabelText = "Crossed the boundary", MarkerShape = MarkerShape.OpenCircle, MarkerColor = Boundary, MarkerSize = 12, MarkerLineWidth = 2 });
        if (fell)
            items.Add(new() { LabelText = "Information fell (an exclusion or retraction)", LineColor = Curve, LineWidth = 2.5f, LinePattern = LinePattern.Dotted });
        return items;
    }
}
