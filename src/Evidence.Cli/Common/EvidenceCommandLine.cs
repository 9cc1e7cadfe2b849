using Evidence.Cli.Analyzing;
using Evidence.Cli.Importing;
using Evidence.Cli.Monitoring;
using Evidence.Cli.Reporting;
using Spectre.Console.Cli;

namespace Evidence.Cli.Common;

/// <summary>
/// The <c>evidence</c> commands and their options. Exit codes: 0 success, 1 the work failed (summary
/// printed), 2 bad command line or input file.
/// </summary>
public static class EvidenceCommandLine
{
    private static readonly string[] Commands = ["analyze", "tsa", "import", "import-revman", "report", "rebuild"];

    /// <summary>Runs a command line, printing why it failed to <paramref name="error"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var command = args.Count > 0 && Commands.Contains(args[0]) ? $"evidence {args[0]}" : "evidence";
        try
        {
            return await InvokeAsync(args, output, error, ct);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"{command}: {ex.Message}\nsee: {command} --help");
            return 2;
        }
        catch (CsvException ex)
        {
            await error.WriteLineAsync($"{command}: {ex.Message}");
            return 2;
        }
        catch (TimeoutException ex)
        {
            await error.WriteLineAsync($"{command}: {ex.Message}");
            return 1;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"{command}: the API did not answer: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Runs a command line; a wrong command line throws <see cref="UsageException"/>, a bad file <see cref="CsvException"/>.</summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (args.Count == 0)
            throw new UsageException("which command? analyze, tsa, import, import-revman, report or rebuild");
        try
        {
            return await App(new Terminal(output, error)).RunAsync(args[0] == "tsa" ? TsaSettings.Spelled(args) : args, ct);
        }
        catch (CommandAppException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static CommandApp App(Terminal terminal)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("evidence");
            config.ConfigureConsole(Terminal.Console(terminal.Output));
            config.Settings.Registrar.RegisterInstance(terminal);
            config.UseStrictParsing();
            config.PropagateExceptions();
            config.AddCommand<AnalyzeCommand>("analyze")
                .WithDescription("Pools a CSV data file (one study per row) and prints the result as a report or as JSON. Needs no services.")
                .WithExample("analyze", "--data", "bcg.csv", "--measure", "RR", "--method", "REML", "--test", "knha", "--format", "table");
            config.AddCommand<TsaCommand>("tsa")
                .WithDescription("Trial sequential analysis of a CSV data file (one look per trial): the required information size, the cumulative Z, alpha spending and monitoring boundaries; or, with --boundaries, the boundaries alone. Needs no services.")
                .WithExample("tsa", "--data", "bcg.csv", "--measure", "RR", "--order", "year", "--alpha", "0.05", "--beta", "0.2", "--pc", "0.0091", "--rrr", "0.5", "--heterogeneity", "D2", "--spending", "OBF")
                .WithExample("tsa", "--boundaries", "--t", "0.2,0.4,0.6,0.8,1", "--alpha", "0.05", "--spending", "OBF", "--format", "json");
            config.AddCommand<ImportCommand>("import")
                .WithDescription("Loads a review's outcomes, trials (one batch per publication year) and corrections through the API; a rerun appends nothing.")
                .WithExample("import", "--api", "http://localhost:5080", "--review", "ld-il2", "--outcomes", "outcomes.csv", "--trials", "trials.csv");
            config.AddCommand<ImportRevManCommand>("import-revman")
                .WithDescription("Loads a RevMan 5 file (.rm5) or a RevMan Web data package through the API with RevMan 5's conventions, reports what it could not map, and compares each outcome's snapshot with the results the file stores; exits 1 on any difference.")
                .WithExample("import-revman", "--api", "http://localhost:5080", "--review", "fleiss", "Fleiss1993.rm5");
            config.AddCommand<ReportCommand>("report")
                .WithDescription("Waits for the worker, prints each outcome's snapshot history and what the last correction changed, and saves the plots.")
                .WithExample("report", "--api", "http://localhost:5080", "--review", "ld-il2", "--out", "plots");
            config.AddCommand<RebuildCommand>("rebuild")
                .WithDescription("Recomputes every snapshot of a review from its events with the current engine and lists the differences (writes nothing); exits 1 when any.")
                .WithExample("rebuild", "--api", "http://localhost:5080", "--review", "ld-il2");
        });
        return app;
    }
}
