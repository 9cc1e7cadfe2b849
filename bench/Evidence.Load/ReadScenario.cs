using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Evidence.Load;

/// <summary>
/// Reads of a large version: one review of <c>--big</c> trials imported, then its newest version
/// (stored without its per-study sections) read whole the first time (folded and computed) and
/// again (from the API's cache), a forest plot of another version first and again, the cumulative
/// plot, and a rebuild of the whole history. Each figure is the wall time of the request, body read;
/// a repeated read is timed <c>--repeats</c> times (20) and its p50 and p95 reported, the p95 against
/// the target of 50 ms.
/// </summary>
public sealed class ReadScenario(HttpClient http, Scenarios scenarios, TextWriter output, int? apiPid, Targets targets)
{
    /// <summary>The most a repeated read of a large version (or a page of its plot) may take, p95.</summary>
    public const double RepeatedReadLimitMs = 50;

    /// <summary>The rows of the last plot read (its <c>Evidence-Plot-Rows</c>).</summary>
    private int rows;

    /// <summary>
    /// Imports a review of <paramref name="trials"/> trials, a batch per year unless <paramref name="byTrial"/>
    /// (or takes <paramref name="existing"/>, imported by an earlier run: its reads are first reads again
    /// for a restarted API) and times its reads.
    /// </summary>
    public async Task RunAsync(string prefix, int trials, int repeats, string? existing, bool byTrial)
    {
        if (existing is null)
            await scenarios.ImportAsync(prefix, 1, trials, TimeSpan.FromMinutes(30), clients: 1, byYear: !byTrial);
        var review = existing ?? $"{prefix}-0";
        var versions = (await http.GetFromJsonAsync<JsonElement>($"reviews/{review}/outcomes/response/snapshots")).GetArrayLength();
        var outcome = $"reviews/{review}/outcomes/response";
        var before = apiPid is { } pid ? Machine.Usage(pid) : null;

        var (first, size) = await TimeAsync($"{outcome}/snapshots/latest");
        Report($"read of version {versions} (studiesOnRead), first", first, size);
        var again = await RepeatAsync($"{outcome}/snapshots/latest", repeats);
        Report($"the same, again ({repeats} times)", again, size);
        targets.AtMost($"repeated read of a {trials:N0}-trial version (JSON, {size / 1048576.0:0.0} MiB), p95", again.P95, RepeatedReadLimitMs, "ms");
        Report($"the same with its ETag in If-None-Match (304), {repeats} times", await RepeatAsync($"{outcome}/snapshots/latest", repeats, conditional: true), 0);
        var (forest, forestSize) = await TimeAsync($"{outcome}/snapshots/{versions - 1}/forest.svg");
        var lastRows = rows;
        Report($"forest plot (svg, first page) of version {versions - 1}, first", forest, forestSize);
        var forestAgain = await RepeatAsync($"{outcome}/snapshots/{versions - 1}/forest.svg", repeats);
        Report($"the same, again ({repeats} times)", forestAgain, forestSize);
        targets.AtMost("repeated read of its forest plot (svg, first page), p95", forestAgain.P95, RepeatedReadLimitMs, "ms");
        var lastPage = (lastRows + 99) / 100;
        var (png, pngSize) = await TimeAsync($"{outcome}/snapshots/{versions - 1}/forest.png?page={Math.Max(1, lastPage)}");
        Report($"its last page ({lastPage}) as png", png, pngSize);
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

    private void Report(string what, Percentiles times, long bytes) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {times} ({bytes / 1024.0:0} KiB)"));

    private async Task<(double Ms, long Bytes)> TimeAsync(string path)
    {
        var (ms, bytes, _) = await TimeAsync(path, null);
        return (ms, bytes);
    }

    private async Task<(double Ms, long Bytes, System.Net.Http.Headers.EntityTagHeaderValue? ETag)> TimeAsync(string path, System.Net.Http.Headers.EntityTagHeaderValue? ifNoneMatch)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null)
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode && !(ifNoneMatch is not null && response.StatusCode == System.Net.HttpStatusCode.NotModified))
            throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        if (response.Headers.TryGetValues("Evidence-Plot-Rows", out var values))
            rows = int.Parse(values.First(), CultureInfo.InvariantCulture);
        return (clock.Elapsed.TotalMilliseconds, body.LongLength, response.Headers.ETag);
    }

    /// <summary>The request <paramref name="repeats"/> times in a row; with <paramref name="conditional"/>, each with the ETag of the one before.</summary>
    private async Task<Percentiles> RepeatAsync(string path, int repeats, bool conditional = false)
    {
        var times = new List<double>();
        System.Net.Http.Headers.EntityTagHeaderValue? etag = null;
        if (conditional)
            etag = (await TimeAsync(path, null)).ETag;
        for (var n = 0; n < repeats; n++)
        {
            var (ms, _, tag) = await TimeAsync(path, etag);
            times.Add(ms);
            if (conditional)
                etag = tag ?? etag;
        }
        return Percentiles.Of(times);
    }
}
