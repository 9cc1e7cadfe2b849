using System.ComponentModel;
using Evidence.Cli.Common;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;
using Spectre.Console.Cli;

namespace Evidence.Cli.Analyzing;

/// <summary>The options of <c>evidence analyze</c>.</summary>
public sealed class AnalyzeSettings : CommandSettings
{
    [CommandOption("--data <FILE>", isRequired: true)]
    [Description("CSV file, one study per row, labelled by its 'study' (or 'trial') column")]
    public string Data { get; set; } = "";

    [CommandOption("--measure <MEASURE>", isRequired: true)]
    [Description("Effect measure, e.g. RR, OR, RD, SMD, MD, PLO, GEN")]
    public string Measure { get; set; } = "";

    [CommandOption("--method <METHOD>", isRequired: true)]
    [Description("Pooling method: FE, MH, PETO, or an estimator of tau² such as DL or REML")]
    public string Method { get; set; } = "";

    [CommandOption("--test <TEST>")]
    [Description("Test and intervals of the pooled estimate: z, or knha (Knapp-Hartung t)")]
    [DefaultValue("z")]
    public string Test { get; set; } = "z";

    [CommandOption("--conventions <PRESET>")]
    [Description("Pooling conventions: metafor (the default), or revman5 for RevMan 5's own (double-zero studies dropped, 1/2 added to tables with a zero cell, Q around the MH estimate)")]
    [DefaultValue("metafor")]
    public string Conventions { get; set; } = "metafor";

    [CommandOption("--subgroup <COLUMN>")]
    [Description("Column whose values split the studies into subgroups")]
    public string? Subgroup { get; set; }

    [CommandOption("--order <COLUMN>")]
    [Description("Column that orders the studies of the cumulative analysis")]
    public string? Order { get; set; }

    [CommandOption("--moderator <COLUMN>")]
    [Description("Column of a moderator for a meta-regression; repeat for several")]
    public string[] Moderators { get; set; } = [];

    [CommandOption("--format <FORMAT>")]
    [Description("json, or table: a readable report with a forest plot")]
    [DefaultValue("table")]
    public string Format { get; set; } = "table";
}

/// <summary><c>evidence analyze</c>: pools a CSV data file and prints the result as JSON or as a readable report.</summary>
public sealed class AnalyzeCommand(Terminal terminal) : Command<AnalyzeSettings>
{
    public override int Execute(CommandContext context, AnalyzeSettings args, CancellationToken cancellationToken)
    {
        var path = args.Data;
        var settings = new AnalysisSettings(
            Named(MeasureCatalogue.Measures, m => m.Name, args.Measure, "measure").Measure,
            Named(MeasureCatalogue.Methods, m => m.Name, args.Method, "method").Method,
            MeasureCatalogue.FindTest(args.Test)
                ?? throw new UsageException($"--test must be {MeasureCatalogue.Either(MeasureCatalogue.Tests.Select(t => t.Name))}, not '{args.Test}'"),
            args.Subgroup,
            args.Order,
            args.Moderators is { Length: > 0 } moderators ? moderators : null)
        {
            Conventions = MeasureCatalogue.FindConventions(args.Conventions)
                ?? throw new UsageException($"--conventions must be {MeasureCatalogue.Either(MeasureCatalogue.ConventionNames.Select(c => c.Name))}, not '{args.Conventions}'"),
        };
        if (settings.MethodMismatch() is { } mismatch)
            throw new UsageException(mismatch);
        var format = args.Format;
        if (format is not ("json" or "table"))
            throw new UsageException($"--format must be json or table, not '{format}'");

        var csv = CsvTable.Read(path);
        if (csv.Rows.Count == 0)
            throw new CsvException(csv.Path, 0, null, "has no study rows under its header; a meta-analysis needs at least one study");
        var studies = Studies(csv, settings);
        AnalysisResult result;
        try
        {
            result = MetaAnalysis.Run(studies, settings);
        }
        catch (EffectSizeException ex)
        {
            throw StudyRows.Unusable(csv, studies, ex);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
        if (format == "json")
            terminal.Output.WriteLine(AnalysisJson.Serialize(result));
        else
            TableReport.Write(result, Terminal.Console(terminal.Output));
        return 0;
    }

    /// <summary>The studies of the file (<see cref="StudyRows.Read"/>): the measure's columns, and the subgroup, order and moderator columns, must exist.</summary>
    private static List<StudyData> Studies(CsvTable csv, AnalysisSettings settings)
    {
        var needed = MeasureCatalogue.Of(settings.Measure).Columns.ToList();
        if (settings.Measure == Measure.GEN && !csv.Has("vi") && csv.Has("sei"))
            needed[1] = "sei";
        return StudyRows.Read(csv, needed, new[] { settings.Subgroup, settings.Order }.Concat(settings.Moderators ?? []));
    }

    /// <summary>The catalogue's entry named <paramref name="value"/>, whatever its case (as the command line has always taken it).</summary>
    private static T Named<T>(IEnumerable<T> entries, Func<T, string> name, string value, string option) =>
        entries.FirstOrDefault(e => string.Equals(name(e), value, StringComparison.OrdinalIgnoreCase))
        ?? throw new UsageException($"--{option} must be one of {string.Join(", ", entries.Select(name))}, not '{value}'");
}
