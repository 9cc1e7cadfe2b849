using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Evidence.Load;

/// <summary>
/// How each cost grows, a short measurement per point: with k (trials per outcome, imported a batch
/// per year), the import, the next command's version, a first and a repeated read of the newest
/// version and a rebuild; with the history (the same k in 10 versions or in one version per trial),
/// the list of versions, the history chart, the next command's version and a rebuild; with the
/// number of reviews in the store, the next command's version in a new review and the first page of
/// the review list. Each line names its point; the figures are wall times of requests (with the
/// answer read), so they include what the machine's other work takes from them.
/// </summary>
public sealed class GrowthScenario(HttpClient http, Api api, Scenarios scenarios, Func<string, ConcurrentDictionary<long, Arrival>> estimates, TextWriter output)
{
    /// <summary>Commands timed per point, each waiting for its version before the next.</summary>
    private const int Probes = 5;

    public async Task RunAsync(string prefix, IReadOnlyList<int> ks, IReadOnlyList<int> histories, int historyTrials, IReadOnlyList<int> reviewCounts)
    {
        output.WriteLine("growth with k (trials per outcome; imported a batch per year):");
        foreach (var k in ks)
        {
            var review = $"{prefix}-k{k}";
            var clock = Stopwatch.StartNew();
            await scenarios.ImportAsync(review, 1, k, TimeSpan.FromMinutes(5), clients: 1, byYear: true);
            var imported = clock.Elapsed.TotalMilliseconds;
            var next = await NextVersionsAsync($"{review}-0", k);
            var (first, _) = await TimeAsync($"reviews/{review}-0/outcomes/response/snapshots/latest");
            var again = await RepeatAsync($"reviews/{review}-0/outcomes/response/snapshots/latest");
            var rebuild = await RebuildAsync($"{review}-0");
            Line($"  k = {k:N0}: import {imported:0} ms; next command -> version p50 {next.P50:0.0} ms (max {next.Max:0.0}); newest version read first {first:0.0} ms, again p95 {again.P95:0.0} ms; {rebuild}");
        }

        output.WriteLine($"growth with history ({historyTrials:N0} trials in one outcome):");
        foreach (var versions in histories)
        {
            var review = $"{prefix}-h{versions}";
            await api.CreateReviewAsync(review, default);
            var clock = Stopwatch.StartNew();
            foreach (var batch in Enumerable.Range(1, historyTrials).Chunk((historyTrials + versions - 1) / versions))
            {
                if (batch.Length == 1)
                    await api.RecordTrialAsync(review, batch[0], default);
                else
                    await api.RecordTrialsAsync(review, batch, default);
            }
            while (!await api.CaughtUpAsync(review, default))
                await Task.Delay(100);
            var recorded = clock.Elapsed.TotalMilliseconds;
            var (listFirst, _) = await TimeAsync($"reviews/{review}/outcomes/response/snapshots");
            var list = await RepeatAsync($"reviews/{review}/outcomes/response/snapshots");
            var (chartFirst, _) = await TimeAsync($"reviews/{review}/outcomes/response/history.svg");
            var chart = await RepeatAsync($"reviews/{review}/outcomes/response/history.svg");
            var next = await NextVersionsAsync(review, historyTrials);
            var rebuild = await RebuildAsync(review);
            Line($"  {versions:N0} versions: recorded in {recorded:0} ms; list of versions first {listFirst:0.0} ms, again p95 {list.P95:0.0} ms; history chart first {chartFirst:0.0} ms, again p95 {chart.P95:0.0} ms; next command -> version p50 {next.P50:0.0} ms; {rebuild}");
        }

        output.WriteLine("growth with reviews in the store (each new one empty; the figures from a further new review):");
        var created = 0;
        foreach (var count in reviewCounts)
        {
            var clock = Stopwatch.StartNew();
            var names = Enumerable.Range(created, Math.Max(0, count - created)).Select(r => $"{prefix}-r{r}").ToList();
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (r, ct) => new ValueTask(api.CreateReviewAsync(r, ct)));
            created = Math.Max(created, count);
            var made = clock.Elapsed.TotalSeconds;
            var review = $"{prefix}-r{count}-probe";
            await api.CreateReviewAsync(review, default);
            var next = await NextVersionsAsync(review, 0);
            await TimeAsync("reviews?limit=50");
            var listed = await RepeatAsync("reviews?limit=50");
            Line($"  {count:N0} reviews (+{names.Count:N0} created in {made:0} s): next command -> version p50 {next.P50:0.0} ms (max {next.Max:0.0}); first page of the review list (after a first read) p95 {listed.P95:0.0} ms");
        }
    }

    /// <summary>Records trials after the <paramref name="k"/> the review holds, one at a time, each timed until its version's <c>EstimateChanged</c> arrives.</summary>
    private async Task<Percentiles> NextVersionsAsync(string review, int k)
    {
        var arrivals = estimates(review);
        var times = new List<double>();
        for (var n = 1; n <= Probes; n++)
        {
            var known = arrivals.Keys.DefaultIfEmpty(0).Max();
            var head = Math.Max(known, (await http.GetFromJsonAsync<JsonElement>($"reviews/{review}/outcomes/response/snapshots")).GetArrayLength());
            var sent = Stopwatch.GetTimestamp();
            await api.RecordTrialAsync(review, k + n, default);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!arrivals.ContainsKey(head + 1) && DateTime.UtcNow < deadline)
                await Task.Delay(1);
            times.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }
        return Percentiles.Of(times);
    }

    private async Task<string> RebuildAsync(string review)
    {
        var clock = Stopwatch.StartNew();
        var (events, versions, identical) = await api.RebuildAsync(review, default);
        var ms = clock.Elapsed.TotalMilliseconds;
        return string.Create(CultureInfo.InvariantCulture, $"rebuild {ms:0} ms ({events:N0} events, {versions:N0} versions, {events / ms * 1000:0} events/s{(identical ? "" : ", DIFFERED")})");
    }

    private async Task<(double Ms, long Bytes)> TimeAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return (clock.Elapsed.TotalMilliseconds, body.LongLength);
    }

    private async Task<Percentiles> RepeatAsync(string path)
    {
        var times = new List<double>();
        for (var n = 0; n < Probes; n++)
            times.Add((await TimeAsync(path)).Ms);
        return Percentiles.Of(times);
    }

    private void Line(string text) => output.WriteLine(text);
}
