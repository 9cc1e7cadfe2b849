using System.Globalization;

namespace Evidence.Load;

/// <summary>
/// The issue's targets as one run measured them: each figure beside its limit, its ratio to the
/// limit (above 1 is better for a rate, below 1 for a time) and whether it passed, with the load
/// average when it was measured, so that a figure from a busy moment can be told apart.
/// </summary>
public sealed class Targets
{
    private readonly List<(string Target, string Figure, string Limit, double Ratio, bool Pass, string Load)> rows = [];

    /// <summary>A time (or other cost) that must stay at or below <paramref name="limit"/>.</summary>
    public void AtMost(string target, double measured, double limit, string unit) =>
        Add(target, measured, limit, unit, measured <= limit, measured / limit, "<=");

    /// <summary>A rate (or share) that must reach at least <paramref name="limit"/>.</summary>
    public void AtLeast(string target, double measured, double limit, string unit) =>
        Add(target, measured, limit, unit, measured >= limit, measured / limit, ">=");

    private void Add(string target, double measured, double limit, string unit, bool pass, double ratio, string sign) =>
        rows.Add((target, Format(measured, unit), $"{sign} {Format(limit, unit)}", ratio, pass, Machine.LoadAverage()));

    /// <summary>The table, in Markdown, in the order the figures were measured.</summary>
    public void Print(TextWriter output)
    {
        if (rows.Count == 0)
            return;
        output.WriteLine();
        output.WriteLine("| target | measured | limit | ratio to the limit | pass | load average (1, 5 min) |");
        output.WriteLine("|---|---:|---:|---:|---|---|");
        foreach (var r in rows)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Target} | {r.Figure} | {r.Limit} | {r.Ratio:0.00} | {(r.Pass ? "yes" : "no")} | {r.Load} |"));
    }

    private static string Format(double value, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{value:#,##0.#} {unit}").TrimEnd();
}
