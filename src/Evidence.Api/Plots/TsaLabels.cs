using ScottPlot;

namespace Evidence.Api.Plots;

/// <summary>A look's version label to place beside its point, <see cref="Above"/> when it prefers the side away from zero above.</summary>
public sealed record TsaLabel(double X, double Y, string Text, bool Above, bool Ringed, bool Required);

/// <summary>
/// Places each look's label beside its point where it hides no line, marker or other label: the
/// plot is laid out once to know where everything falls in pixels, then each label takes the first
/// free place among eight around its point (the side away from zero first). A label that finds no
/// free place is left out, unless it is required (the version drawn), which then takes its first place.
/// </summary>
public static class TsaLabels
{
    private const float CharWidth = 7.5f;
    private const float TextHeight = 14;

    public static void Place(Plot plot, int width, int height, IReadOnlyList<TsaLabel> labels,
        IReadOnlyList<(Coordinates A, Coordinates B)> lines, IReadOnlyList<(Coordinates A, Coordinates B)> softLines)
    {
        plot.RenderInMemory(width, height);
        var area = plot.LastRender.DataRect;
        var hard = lines.Select(l => (plot.GetPixel(l.A), plot.GetPixel(l.B))).ToList();
        var soft = softLines.Select(l => (plot.GetPixel(l.A), plot.GetPixel(l.B))).ToList();
        var taken = labels.Select(l => Around(plot.GetPixel(new Coordinates(l.X, l.Y)), l.Ringed ? 9 : 5)).ToList();

        foreach (var label in labels.OrderByDescending(l => l.Required))
        {
            var at = plot.GetPixel(new Coordinates(label.X, label.Y));
            var candidates = Candidates(at, CharWidth * label.Text.Length, label.Above, label.Ringed ? 10 : 6).Where(c => Inside(area, c)).ToList();
            var free = candidates.FirstOrDefault(c => Free(c, taken, hard) && Free(c, [], soft))
                ?? candidates.FirstOrDefault(c => Free(c, taken, hard));
            if (free is null && label.Required)
                free = candidates.FirstOrDefault() ?? Candidates(at, CharWidth * label.Text.Length, label.Above, 6)[0];
            if (free is null)
                continue;
            taken.Add(free.Value);
            var text = plot.Add.Text(label.Text, label.X, label.Y);
            text.LabelFontSize = 12;
            text.LabelFontColor = Style.Study;
            text.LabelAlignment = Alignment.UpperLeft;
            text.OffsetX = free.Value.Left - at.X;
            text.OffsetY = free.Value.Top - at.Y;
        }
    }

    /// <summary>Eight places around a point, in order of preference: diagonally outward, beside it, diagonally inward, straight out and in.</summary>
    private static List<PixelRect?> Candidates(Pixel p, float w, bool above, float gap)
    {
        var h = TextHeight;
        PixelRect Box(float left, float top) => new(left, left + w, top + h, top);
        var up = new[] { Box(p.X + gap, p.Y - gap - h), Box(p.X - gap - w, p.Y - gap - h) };
        var side = new[] { Box(p.X + gap + 2, p.Y - h / 2), Box(p.X - gap - 2 - w, p.Y - h / 2) };
        var down = new[] { Box(p.X + gap, p.Y + gap), Box(p.X - gap - w, p.Y + gap) };
        var straight = new[] { Box(p.X - w / 2, p.Y - gap - 4 - h), Box(p.X - w / 2, p.Y + gap + 4) };
        var ordered = above
            ? up.Concat(side).Concat(down).Concat(straight)
            : down.Concat(side).Concat(up).Concat(straight.Reverse());
        return ordered.Select(r => (PixelRect?)r).ToList();
    }

    private static PixelRect Around(Pixel p, float r) => new(p.X - r, p.X + r, p.Y + r, p.Y - r);

    private static bool Inside(PixelRect area, PixelRect? r) =>
        r is { } b && b.Left >= area.Left && b.Right <= area.Right && b.Top >= area.Top && b.Bottom <= area.Bottom;

    private static bool Free(PixelRect? r, List<PixelRect> boxes, List<(Pixel A, Pixel B)> segments) =>
        r is { } b && !boxes.Any(o => o.Left < b.Right && b.Left < o.Right && o.Top < b.Bottom && b.Top < o.Bottom)
        && !segments.Any(s => Crosses(s.A, s.B, b));

    /// <summary>Whether the segment from <paramref name="a"/> to <paramref name="b"/> passes through the rectangle (Liang-Barsky clipping).</summary>
    private static bool Crosses(Pixel a, Pixel b, PixelRect r)
    {
        double t0 = 0, t1 = 1;
        double dx = b.X - a.X, dy = b.Y - a.Y;
        foreach (var (p, q) in new[] { (-dx, a.X - r.Left), (dx, r.Right - a.X), (-dy, a.Y - r.Top), (dy, r.Bottom - a.Y) })
        {
            if (p == 0)
            {
                if (q < 0)
                    return false;
                continue;
            }
            var t = q / p;
            if (p < 0)
                t0 = Math.Max(t0, t);
            else
                t1 = Math.Min(t1, t);
            if (t0 > t1)
                return false;
        }
        return true;
    }
}
