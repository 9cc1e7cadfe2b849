using System.ComponentModel;
using Evidence.Cli.Common;
using Evidence.Cli.Importing.RevMan;
using Evidence.Cli.Reporting;
using Spectre.Console.Cli;

namespace Evidence.Cli.Importing;

/// <summary>The options of <c>evidence import-revman</c>.</summary>
public sealed class ImportRevManSettings : ApiSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("A RevMan 5 review (.rm5), or a RevMan Web data package (its folder, or a zip)")]
    public string File { get; set; } = "";

    [CommandOption("--timeout <SECONDS>")]
    [Description("How long to wait for the worker's snapshots before comparing them with the file's results")]
    [DefaultValue(120)]
    public int Timeout { get; set; } = 120;
}

/// <summary>
/// <c>evidence import-revman</c>: reads a RevMan file (<see cref="RevMan5File"/>, <see cref="DataPackage"/>),
/// maps it (<see cref="RevManMapping"/>), reports what it could not map, posts the review through
/// the API with stable idempotency keys (a rerun appends nothing), waits for the snapshots, and
/// compares each outcome's snapshot with the pooled result the file stores. Exit code 0 when
/// every posted item went in and every stored result is reproduced.
/// </summary>
public sealed class ImportRevManCommand(Terminal terminal) : AsyncCommand<ImportRevManSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ImportRevManSettings args, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(args.File) && !Directory.Exists(args.File))
            throw new UsageException($"{args.File}: no such file or folder");
        using var http = args.Connect(TimeSpan.FromSeconds(60));
        var (tally, differences) = await ImportAsync(http, args.Review, Read(args.File), terminal.Output, terminal.Error, TimeSpan.FromSeconds(args.Timeout), cancellationToken);
        return tally.Failed || differences.Count > 0 ? 1 : 0;
    }

    /// <summary>Reads an rm5 file or a data package (a folder or a zip), by what the path is.</summary>
    public static RevManReview Read(string path)
    {
        try
        {
            return DataPackage.IsPackage(path) ? DataPackage.Read(path) : RevMan5File.Read(path);
        }
        catch (Exception e) when (e is FormatException or System.Xml.XmlException or InvalidDataException)
        {
            throw new UsageException($"{path} is not a RevMan file Evidence can read: {e.Message}");
        }
    }

    /// <summary>Imports <paramref name="file"/> into <paramref name="review"/> and compares the snapshots with its stored results.</summary>
    public static async Task<(ImportCommand.Tally Tally, List<RevManDifference> Differences)> ImportAsync(
        HttpClient http, string review, RevManReview file, TextWriter output, TextWriter progress, TimeSpan timeout, CancellationToken ct)
    {
        var import = RevManMapping.Map(file);
        output.WriteLine($"{file.Source}: {import.Outcomes.Count} outcomes, {import.Trials.Count} studies");
        if (import.Problems.Count > 0)
        {
            output.WriteLine($"not mapped ({import.Problems.Count}):");
            foreach (var problem in import.Problems)
                output.WriteLine($"  {problem}");
        }
        var tally = await ImportCommand.ImportAsync(http, review, file.Title, $"Imported from {file.Source}",
            [.. import.Outcomes.Select(o => o.Request)], import.Trials, [], progress, ct);
        tally.Print(output);
        var differences = new List<RevManDifference>();
        if (tally.Failed)
            return (tally, differences);

        var client = new ApiClient(http);
        await client.WaitUntilCaughtUpAsync(review, timeout, ct);
        foreach (var outcome in import.Outcomes)
        {
            var label = $"{outcome.Source.Label} ({outcome.Request.Id})";
            if (outcome.Source.Pooled is null)
            {
                output.WriteLine($"{label}: the file stores no pooled result; nothing to compare");
                continue;
            }
            if (!outcome.SameMethod)
            {
                output.WriteLine($"{label}: pooled otherwise than RevMan did (see above); not compared");
                continue;
            }
            var snapshot = await client.GetAsync($"reviews/{review}/outcomes/{outcome.Request.Id}/snapshots/latest", ct);
            var found = RevManComparison.Compare(outcome, snapshot.GetProperty("result"), file.Precision);
            output.WriteLine(found.Count == 0
                ? $"{label}: matches RevMan's stored result (version {snapshot.GetProperty("version").GetInt64()})"
                : $"{label}: {found.Count} differences from RevMan's stored result");
            foreach (var difference in found)
                output.WriteLine($"  {difference}");
            differences.AddRange(found);
        }
        return (tally, differences);
    }
}
