using Evidence.Cli.Analyzing;
using Evidence.Cli.Common;
using Evidence.Cli.Importing;
using Evidence.Cli.Reporting;

// Exit codes: 0 success, 1 the work failed (summary printed), 2 bad command line or input file.
var commands = new Dictionary<string, (string Usage, IReadOnlySet<string> Switches, Func<Arguments, Task<int>> Run)>(StringComparer.Ordinal)
{
    ["analyze"] = (AnalyzeCommand.Usage, new HashSet<string>(), a => Task.FromResult(AnalyzeCommand.Run(a, Console.Out))),
    ["import"] = (ImportCommand.Usage, new HashSet<string>(), a => ImportCommand.RunAsync(a, Console.Out, Console.Error, CancellationToken.None)),
    ["report"] = (ReportCommand.Usage, new HashSet<string>(), a => ReportCommand.RunAsync(a, Console.Out, CancellationToken.None)),
    ["rebuild"] = (RebuildCommand.Usage, new HashSet<string>(), a => RebuildCommand.RunAsync(a, Console.Out, CancellationToken.None)),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine("usage:");
    foreach (var c in commands.Values)
        Console.Error.WriteLine("  " + c.Usage);
    return 2;
}

try
{
    return await command.Run(new Arguments(args.Skip(1), command.Switches));
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"evidence {args[0]}: {ex.Message}\nusage: {command.Usage}");
    return 2;
}
catch (CsvException ex)
{
    Console.Error.WriteLine($"evidence {args[0]}: {ex.Message}");
    return 2;
}
catch (TimeoutException ex)
{
    Console.Error.WriteLine($"evidence {args[0]}: {ex.Message}");
    return 1;
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"evidence {args[0]}: the API did not answer: {ex.Message}");
    return 1;
}
