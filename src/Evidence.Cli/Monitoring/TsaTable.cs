using System.Globalization;
using Evidence.Statistics;
using Evidence.Statistics.Sequential;
using Spectre.Console;

namespace Evidence.Cli.Monitoring;

/// <summary>A readable trial sequential analysis: the design, the RIS and heterogeneity, and one row per look.</summary>
public static class TsaTable
{
    public static void Write(SequentialResult result, Measure measure, SequentialDesign design, IAnsiConsole console)
    {
        var definition = MeasureCatalogue.Of(measure);
        var effect = design.ControlRisk is { } pc
            ? Invariant($"pc {F(pc)}, rrr {F(design.RelativeRiskReduction ?? double.NaN)}")
            : Invariant($"delta {F(design.MeanDifference ?? double.NaN)}, sd {F(design.StandardDeviation ?? double.NaN)}");
        console.WriteLine(Invariant($"Trial sequential analysis: {measure}, alpha {F(design.Alpha)}, beta {F(design.Beta)}, {effect}, {Name(design.Spending)} spending"));
        console.WriteLine();
        console.WriteLine(Invariant($"Required information size {F(result.Ris)}, adjusted {F(result.RisAdjusted)} (heterogeneity {Name(design.Heterogeneity)}: H = {F(result.HeterogeneityFraction)})"));
        console.WriteLine(Invariant($"  D² = {F(result.D2)}   I² = {F(result.I2)}   tau² = {F(result.Tau2)}"));
        console.WriteLine(Invariant($"  participants {F(result.Participants)}: {(result.RisReached ? "the RIS is reached" : $"{result.Looks[^1].T * 100:0.0}% of the RIS")}"));
        console.WriteLine();

        var natural = definition.Transform;
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in new[] { "k", "trial", "participants", "t", "z", "look", "boundary", "crossed", "alpha spent", natural is null ? "estimate" : "estimate (natural)", "TSA-adjusted CI" })
            table.AddColumn(new TableColumn(header));
        foreach (var look in result.Looks)
        {
            double Show(double x) => natural is null ? x : natural.ToNatural(x, 0);
            Row(table,
                Invariant($"{look.K}"), look.Label, F(look.Participants), look.T.ToString("0.0000", CultureInfo.InvariantCulture),
                look.Z.ToString("0.000", CultureInfo.InvariantCulture), SequentialJson.Name(look.LookType),
                look.Boundary is { } b ? b.ToString("0.000", CultureInfo.InvariantCulture) : "-", look.Crossed ? "yes" : "",
                look.AlphaSpent.ToString("G4", CultureInfo.InvariantCulture), F(Show(look.Estimate)),
                look.CiLower is { } lower && look.CiUpper is { } upper ? Invariant($"[{F(Show(lower))}, {F(Show(upper))}]") : "-");
        }
        console.Write(table);
        var crossing = result.Looks.FirstOrDefault(l => l.Crossed);
        console.WriteLine(crossing is null
            ? "The Z-curve crosses no monitoring boundary."
            : Invariant($"The Z-curve first crosses its monitoring boundary at look {crossing.K} ({crossing.Label}, t = {crossing.T:0.000})."));
    }

    public static void Write(IReadOnlyList<double> t, double alpha, SpendingFunction spending, BoundarySet set, IAnsiConsole console)
    {
        console.WriteLine(Invariant($"Monitoring boundaries: alpha {F(alpha)} two-sided, {Name(spending)} spending"));
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in new[] { "look", "t", "look type", "boundary", "alpha spent" })
            table.AddColumn(new TableColumn(header));
        for (var j = 0; j < t.Count; j++)
            Row(table,
                Invariant($"{j + 1}"), F(t[j]), SequentialJson.Name(set.LookTypes[j]),
                set.Boundaries[j] is { } b ? b.ToString("0.0000", CultureInfo.InvariantCulture) : "-", set.AlphaSpent[j].ToString("G4", CultureInfo.InvariantCulture));
        console.Write(table);
    }

    /// <summary>A row of plain text: labels and intervals hold brackets that are not markup.</summary>
    private static void Row(Table table, params string[] cells) => table.AddRow(cells.Select(c => new Text(c)).ToArray());

    private static string Name(SpendingFunction spending) => spending == SpendingFunction.Pocock ? "Pocock-type" : "O'Brien-Fleming-type";

    private static string Name(HeterogeneityAdjustment adjustment) => adjustment.Kind switch
    {
        HeterogeneityKind.D2 => "D²",
        HeterogeneityKind.I2 => "I²",
        HeterogeneityKind.None => "none",
        _ => "given",
    };

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
