using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Evidence.Load;

/// <summary>
/// Reads of a large version: one review of <c>--big</c> trials imported, then its newest version
/// (stored without its per-study sections) read whole the first time (folded and computed) and
/// again (from the API's cache), a forest plot of another version first and again, the cumulative
/// plot, and a rebuild of the whole history. Each figure is the wall time of the request, body read.
/// </summary>
public sealed class ReadScenario(HttpClient http, Scenarios scenarios, TextWriter output, int? apiPid)
{
    /// <summary>
    /// Imports a review of <paramref name="trials"/> trials (or takes <paramref name="existing"/>, imported
    /// by an earlier run: its reads are first reads again for a restarted API) and times its reads.
    /// </summary>
    public async Task RunAsync(string prefix, int trials, int repeats, string? existing)
    {
        if (existing is null)
            await scenarios.ImportAsync(prefix, 1, trials, TimeSpan.FromMinutes(30), clients: 1);
        var review = existing ?? $"{prefix}-0";
        var versions = (await http.GetFromJsonAsync<JsonElement>($"reviews/{review}/outcomes/response/snapshots")).GetArrayLength();
        var outcome = $"reviews/{review}/outcomes/response";
        var before = apiPid is { } pid ? Machine.Usage(pid) : null;

        var (first, size) = await TimeAsync($"{outcome}/snapshots/latest");
        Report($"read of version {versions} (studiesOnRead), first", first, size);
        Report($"the same, again (median of {repeats})", await MedianAsync($"{outcome}/snapshots/latest", repeats), size);
        var (forest, forestSize) = await TimeAsync($"{outcome}/snapshots/{versions - 1}/forest.svg");
        Report($"forest plot (svg, first page) of version {versions - 1}, first", forest, forestSize);
        Report($"the same, again (median of {repeats})", await MedianAsync($"{outcome}/snapshots/{versions - 1}/forest.svg", repeats), forestSize);
        var (png, pngSize) = await TimeAsync($"{outcome}/snapshots/{versions - 1}/forest.png?page={Math.Max(1, trials / 100)}");
        Report("a later page of it as png", png, pngSize);
        var (cumulative, cumulativeSize) = await TimeAsync($"{outcome}/snapshots/{versions}/cumulative.svg");
        Report($"cumulative plot (svg, first page) of version {versions}, its sections cached", cumulative, cumulativeSize);
        if (apiPid is { } p && before is { } start && Machine.Usage(p) is { } after)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"API: {after.MiB:0} MiB resident after the reads ({after.MiB - start.MiB:+0;-0} MiB), {after.CpuSeconds - start.CpuSeconds:0.0} s of CPU"));

        var clock = Stopwatch.StartNew();
        var rebuild = await http.GetFromJsonAsync<JsonElement>($"reviews/{review}/rebuild");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rebuild of the review: {rebuild.GetProperty("versionsChecked").GetInt32()} versions from {rebuild.GetProperty("eventsRead").GetInt32()} events in {clock.Elapsed.TotalMilliseconds:0} ms, identical: {rebuild.GetProperty("identical").GetBoolean()}"));
        if (apiPid is { } q && Machine.Usage(q) is { } end)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"API: {end.MiB:0} MiB resident after the rebuild"));
    }

    private void Report(string what, double ms, long bytes) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {ms:0.0} ms ({bytes / 1024.0:0} KiB)"));

    private async Task<(double Ms, long Bytes)> TimeAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return (clock.Elapsed.TotalMilliseconds, body.LongLength);
    }

    private async Task<double> MedianAsync(string path, int repeats)
    {
        var times = new List<double>();
        for (var n = 0; n < repeats; n++)
            times.Add((await TimeAsync(path)).Ms);
        times.Sort();
        return times[times.Count / 2];
    }
}
