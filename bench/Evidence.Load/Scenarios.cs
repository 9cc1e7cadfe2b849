using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Evidence.Load;

/// <summary>The measured scenarios; each prints its own lines.</summary>
public sealed class Scenarios(Api api, Func<string, ConcurrentDictionary<long, long>> estimates, TextWriter output)
{
    /// <summary>Commands at a steady rate into one review, each timed until its EstimateChanged arrives.</summary>
    public async Task<Percentiles> LatencyAsync(string review, int count, double rate)
    {
        await api.CreateReviewAsync(review, default);
        var arrivals = estimates(review);
        var sent = new long[count + 1];
        var interval = TimeSpan.FromSeconds(1 / rate);
        var clock = Stopwatch.StartNew();
        for (var n = 1; n <= count; n++)
        {
            var due = interval * (n - 1);
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed);
            sent[n] = Stopwatch.GetTimestamp();
            await api.RecordTrialAsync(review, n, default);
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (arrivals.Count < count && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        var latencies = Enumerable.Range(1, count).Where(n => arrivals.ContainsKey(n))
            .Select(n => Stopwatch.GetElapsedTime(sent[n], arrivals[n]).TotalMilliseconds).ToList();
        var result = Percentiles.Of(await api.CommitLatenciesAsync(review, default));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"command -> snapshot committed, {count} commands at {rate}/s: {result}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"command -> EstimateChanged received: {Percentiles.Of(latencies)}; {count - latencies.Count} not seen within 60 s"));
        return result;
    }

    /// <summary>
    /// As many trial-recorded commands as <paramref name="clients"/> concurrent clients get through in
    /// <paramref name="duration"/>, each client on its own review; then how far behind the snapshots
    /// are and how long they take to catch up.
    /// </summary>
    public async Task<double> ThroughputAsync(string prefix, int clients, TimeSpan duration)
    {
        var reviews = Enumerable.Range(0, clients).Select(c => $"{prefix}-{c}").ToList();
        foreach (var review in reviews)
            await api.CreateReviewAsync(review, default);
        var done = 0;
        var stop = DateTime.UtcNow + duration;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(reviews.Select(async review =>
        {
            for (var n = 1; DateTime.UtcNow < stop; n++)
            {
                await api.RecordTrialAsync(review, n, default);
                Interlocked.Increment(ref done);
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var perSecond = done / seconds;
        var lag = await LagAsync(reviews);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"throughput: {clients} clients, {seconds:0} s: {done} commands, {perSecond:0.0}/s; snapshots {lag.Behind} events behind at the end"));
        var catchUp = Stopwatch.StartNew();
        var limit = DateTime.UtcNow + duration * 4;
        while ((await LagAsync(reviews)).Behind > 0 && DateTime.UtcNow < limit)
            await Task.Delay(200);
        var left = (await LagAsync(reviews)).Behind;
        output.WriteLine(left == 0
            ? string.Create(CultureInfo.InvariantCulture, $"  caught up {catchUp.Elapsed.TotalSeconds:0.0} s after the load stopped")
            : string.Create(CultureInfo.InvariantCulture, $"  still {left} events behind {catchUp.Elapsed.TotalSeconds:0} s after the load stopped"));
        return perSecond;
    }

    /// <summary>How many events the snapshots of the reviews are behind (by sequence distance, summed).</summary>
    private async Task<(long Behind, int Reviews)> LagAsync(IReadOnlyList<string> reviews)
    {
        long behind = 0;
        var count = 0;
        foreach (var review in reviews)
        {
            var (last, upTo) = await api.StatusAsync(review, default);
            if (upTo < last)
            {
                count++;
                behind += last - upTo;
            }
        }
        return (behind, count);
    }

    /// <summary>Imports <paramref name="reviews"/> reviews of <paramref name="trials"/> trials (4 clients) and waits for the snapshots.</summary>
    public async Task ImportAsync(string prefix, int reviews, int trials, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var stop = DateTime.UtcNow + limit;
        var names = Enumerable.Range(0, reviews).Select(r => $"{prefix}-{r}").ToList();
        var commands = 0;
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (review, ct) =>
        {
            await api.CreateReviewAsync(review, ct);
            for (var n = 1; n <= trials && DateTime.UtcNow < stop; n++)
            {
                await api.RecordTrialAsync(review, n, ct);
                Interlocked.Increment(ref commands);
            }
        });
        var imported = clock.Elapsed.TotalSeconds;
        foreach (var review in names)
        {
            while (!await api.CaughtUpAsync(review, default) && DateTime.UtcNow < stop)
                await Task.Delay(100);
        }
        var complete = commands == reviews * trials && DateTime.UtcNow < stop;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import: {reviews} review(s) x {trials} trials: {commands} commands in {imported:0.0} s ({commands / imported:0}/s), snapshots caught up at {clock.Elapsed.TotalSeconds:0.0} s{(complete ? "" : $" (stopped at the {limit.TotalSeconds:0} s limit)")}"));
    }
}
