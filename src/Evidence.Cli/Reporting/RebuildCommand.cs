using Evidence.Cli.Common;
using Spectre.Console.Cli;

namespace Evidence.Cli.Reporting;

/// <summary><c>evidence rebuild</c>: asks the API to recompute every snapshot of a review and prints each difference; exits 1 when any.</summary>
public sealed class RebuildCommand(Terminal terminal) : AsyncCommand<ApiSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ApiSettings args, CancellationToken ct)
    {
        var output = terminal.Output;
        var review = args.Review;
        using var http = args.Connect(TimeSpan.FromMinutes(10));
        var report = await new ApiClient(http).GetAsync($"reviews/{review}/rebuild", ct);
        var differences = report.GetProperty("differences");
        // The report lists a bounded number of the differing versions and counts them all.
        var differing = report.TryGetProperty("versionsDiffering", out var count) ? count.GetInt32() : differences.GetArrayLength();
        output.WriteLine(
            $"{review}: {report.GetProperty("versionsChecked").GetInt32()} version(s) recomputed with engine {report.GetProperty("engineVersion").GetString()}; {differing} differ"
            + (differing > differences.GetArrayLength() ? $" (the first {differences.GetArrayLength()} listed)" : ""));
        output.WriteLine($"  stored by engine(s): {string.Join(", ", report.GetProperty("storedEngineVersions").EnumerateArray().Select(v => v.GetString()))}");
        foreach (var d in differences.EnumerateArray())
        {
            output.WriteLine($"  {d.GetProperty("outcome").GetString()} v{d.GetProperty("version").GetInt64()}:");
            foreach (var line in d.GetProperty("differences").EnumerateArray())
                output.WriteLine($"    {line.GetString()}");
        }
        return differing == 0 ? 0 : 1;
    }
}
