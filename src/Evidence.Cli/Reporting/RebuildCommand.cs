using Evidence.Cli.Common;

namespace Evidence.Cli.Reporting;

/// <summary><c>evidence rebuild</c>: asks the API to recompute every snapshot of a review and prints each difference; exits 1 when any.</summary>
public static class RebuildCommand
{
    public const string Usage = "evidence rebuild --api URL --review ID [--key API_KEY]";

    public static async Task<int> RunAsync(Arguments args, TextWriter output, CancellationToken ct)
    {
        var review = args.Required("review");
        using var http = ApiConnection.Create(args, TimeSpan.FromMinutes(10));
        args.EnsureAllUsed();
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
