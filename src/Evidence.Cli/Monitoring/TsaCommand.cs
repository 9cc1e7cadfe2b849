using System.Globalization;
using Evidence.Cli.Common;
using Evidence.Statistics;
using Evidence.Statistics.Sequential;
using Spectre.Console.Cli;

namespace Evidence.Cli.Monitoring;

/// <summary>
/// <c>evidence tsa</c>: a trial sequential analysis of a CSV data file, one look per trial in file
/// order (or in the order of <c>--order</c>, a stable sort), or with <c>--boundaries</c> the
/// boundaries alone at given information fractions; printed as the reference's JSON or as a table.
/// </summary>
public sealed class TsaCommand(Terminal terminal) : Command<TsaSettings>
{
    public override int Execute(CommandContext context, TsaSettings args, CancellationToken cancellationToken)
    {
        var json = TsaOptions.Json(args);
        var console = Terminal.Console(terminal.Output);
        if (args.Boundaries)
        {
            var (t, alpha, spending) = TsaOptions.Boundaries(args);
            var set = Engine(() => TrialSequentialAnalysis.Boundaries(t, alpha, spending));
            if (json)
                terminal.Output.WriteLine(SequentialJson.Serialize(set));
            else
                TsaTable.Write(t, alpha, spending, set, console);
            return 0;
        }

        var (measure, design) = TsaOptions.Analysis(args);
        var csv = CsvTable.Read(args.Data!);
        if (csv.Rows.Count == 0)
            throw new CsvException(csv.Path, 0, null, "has no trial rows under its header; a trial sequential analysis needs at least one trial");
        var trials = StudyRows.Read(csv, MeasureCatalogue.Of(measure).Columns, [args.Order]);
        if (args.Order is { } order)
            trials = Ordered(csv, trials, order);
        SequentialResult result;
        try
        {
            result = Engine(() => TrialSequentialAnalysis.Analyze(trials, measure, design));
        }
        catch (EffectSizeException ex)
        {
            throw StudyRows.Unusable(csv, trials, ex);
        }
        if (json)
            terminal.Output.WriteLine(SequentialJson.Serialize(result, measure));
        else
            TsaTable.Write(result, measure, design, console);
        return 0;
    }

    /// <summary>The engine's answer; a value it rejects (an ArgumentException naming the parameter) is a usage error naming the option.</summary>
    private static T Engine<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (ArgumentException ex) when (ex is not EffectSizeException)
        {
            var message = ex.ParamName is { } name ? ex.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : ex.Message;
            throw new UsageException(ex.ParamName is { } option && option.All(char.IsLower) ? TsaOptions.Message(option, message) : message);
        }
    }

    /// <summary>
    /// The trials sorted by <paramref name="column"/>, ties kept in file order (a stable sort): as
    /// numbers when every value is one, else as text. Every trial needs a value.
    /// </summary>
    private static List<StudyData> Ordered(CsvTable csv, List<StudyData> trials, string column)
    {
        for (var r = 0; r < trials.Count; r++)
        {
            if (!trials[r].Labels.ContainsKey(column))
                throw new CsvException(csv.Path, csv.RowNumber(r), column, "is empty; --order needs a value in every row");
        }
        var numbers = trials.Select(t => double.TryParse(t.Labels[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : (double?)null).ToList();
        return numbers.All(n => n is not null)
            ? trials.Select((t, i) => (t, i)).OrderBy(x => numbers[x.i]!.Value).Select(x => x.t).ToList()
            : trials.OrderBy(t => t.Labels[column], StringComparer.Ordinal).ToList();
    }
}
