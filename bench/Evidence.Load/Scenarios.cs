using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Evidence.Load;

/// <summary>An <c>EstimateChanged</c> as the harness received it: when, and how long after its cause was committed.</summary>
public readonly record struct Arrival(long Timestamp, double SecondsAfterCause);

/// <summary>The measured scenarios; each prints its own lines.</summary>
public sealed class Scenarios(Api api, Func<string, ConcurrentDictionary<long, Arrival>> estimates, TextWriter output)
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
            .Select(n => Stopwatch.GetElapsedTime(sent[n], arrivals[n].Timestamp).TotalMilliseconds).ToList();
        var result = Percentiles.Of(await api.CommitLatenciesAsync(review, default));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"command -> snapshot committed, {count} commands at {rate}/s: {result}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"command -> EstimateChanged received: {Percentiles.Of(latencies)}; {count - latencies.Count} not seen within 60 s"));
        return result;
    }

    /// <summary>
    /// As many trial-recorded commands as <paramref name="clients"/> concurrent clients get through in
    /// <paramref name="duration"/>, each client on <paramref name="reviewsPerClient"/> reviews of its own
    /// in turn (one review each: outcomes grow to thousands of trials; many: review-sized outcomes).
    /// Every recorded trial gives its outcome one version, and the snapshots' lag is read off every
    /// version's <c>EstimateChanged</c>: the time from its cause's commit to its arrival here, which
    /// includes the snapshot's commit and its forwarding. Nothing is polled while the load runs, so the
    /// measurement takes no CPU from what it measures. Then: how long the last versions take to arrive,
    /// checked against the API's own status.
    /// </summary>
    public async Task<(double PerSecond, double LagMaxSeconds)> ThroughputAsync(string prefix, int clients, int reviewsPerClient, TimeSpan duration)
    {
        var reviews = Enumerable.Range(0, clients * reviewsPerClient).Select(c => $"{prefix}-{c}").ToList();
        await Parallel.ForEachAsync(reviews, new ParallelOptions { MaxDegreeOfParallelism = clients }, (review, ct) => new ValueTask(api.CreateReviewAsync(review, ct)));
        var recorded = new int[reviews.Count];
        var stop = DateTime.UtcNow + duration;
        var (began, beganAt) = (Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow);
        var cpu = Machine.MachineCpu();
        var parts = Machine.CpuByPart();
        // Each client records trials into its own reviews in turn.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            for (var n = 1; DateTime.UtcNow < stop; n++)
            {
                for (var r = 0; r < reviewsPerClient && DateTime.UtcNow < stop; r++)
                {
                    var index = client * reviewsPerClient + r;
                    await api.RecordTrialAsync(reviews[index], n, default);
                    recorded[index]++;
                }
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        var cpuAfter = Machine.MachineCpu();
        var partsAfter = Machine.CpuByPart();
        var stopped = Stopwatch.StartNew();
        var done = recorded.Sum();
        var perSecond = done / seconds;

        var limit = DateTime.UtcNow + duration * 4;
        while (reviews.Select((r, i) => estimates(r).Count < recorded[i]).Any(behind => behind) && DateTime.UtcNow < limit)
            await Task.Delay(20);
        var arrived = stopped.Elapsed.TotalSeconds;
        var lags = Percentiles.Of(reviews.SelectMany(r => estimates(r).Values.Select(a => a.SecondsAfterCause)).ToList());
        var missing = done - lags.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"throughput: {clients} clients on {reviews.Count} reviews, {seconds:0} s: {done} commands, {perSecond:0.0}/s; snapshot lag over all {lags.Count} versions: max {lags.Max:0.00} s, p95 {lags.P95:0.00} s, p50 {lags.P50:0.00} s"));
        var busy = cpuAfter.Busy - cpu.Busy;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  machine CPU busy {100 * busy / (cpuAfter.Total - cpu.Total):0}% of {Environment.ProcessorCount} cores; {1000 * busy / done:0.00} ms of CPU per command (API, worker, PostgreSQL, RabbitMQ and this harness together)"));
        output.WriteLine(PerCommand(parts, partsAfter, busy, done));
        output.WriteLine(WhenBehind(reviews, began, beganAt));
        var left = await LagSecondsAsync(reviews);
        output.WriteLine(missing == 0 && left == 0
            ? string.Create(CultureInfo.InvariantCulture, $"  last version arrived {arrived:0.0} s after the load stopped; the API's status agrees that nothing is pending")
            : string.Create(CultureInfo.InvariantCulture, $"  {missing} version(s) not arrived and status {left:0.0} s behind {arrived:0} s after the load stopped"));
        return (perSecond, lags.Max);
    }

    /// <summary>
    /// When, in seconds from the start of the load (by wall clock, so that a stall can be matched with
    /// PostgreSQL's log), the versions more than a second behind arrived, and the worst of them.
    /// </summary>
    private string WhenBehind(IReadOnlyList<string> reviews, long began, DateTimeOffset beganAt)
    {
        var late = reviews.SelectMany(r => estimates(r).Values.Select(a => (Review: r, a.SecondsAfterCause, At: Stopwatch.GetElapsedTime(began, a.Timestamp).TotalSeconds)))
            .Where(a => a.SecondsAfterCause > 1).OrderBy(a => a.At).ToList();
        if (late.Count == 0)
            return "  no version arrived more than 1 s after its cause";
        var worst = late.MaxBy(a => a.SecondsAfterCause);
        return string.Create(CultureInfo.InvariantCulture,
            $"  {late.Count} version(s) arrived more than 1 s after their cause, from {late[0].At:0.0} s to {late[^1].At:0.0} s into the load (which began {beganAt:HH:mm:ss} UTC); the worst, {worst.SecondsAfterCause:0.00} s, at {worst.At:0.0} s, review {worst.Review}");
    }

    /// <summary>The CPU per command of each part of the system, and of the kernel and the rest as what the machine spent beyond them.</summary>
    private static string PerCommand(Dictionary<string, double> before, Dictionary<string, double> after, double busy, int commands)
    {
        var spent = after.ToDictionary(p => p.Key, p => p.Value - before[p.Key], StringComparer.Ordinal);
        spent["kernel and other"] = busy - spent.Values.Sum();
        return "  of which " + string.Join(", ", spent.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {1000 * p.Value / commands:0.00} ms")));
    }

    /// <summary>The largest lag over the reviews: seconds since the oldest event their snapshots do not reflect yet was committed.</summary>
    private async Task<double> LagSecondsAsync(IReadOnlyList<string> reviews)
    {
        var lag = 0.0;
        foreach (var review in reviews)
        {
            var (_, _, pendingSince) = await api.StatusAsync(review, default);
            if (pendingSince is { } since)
                lag = Math.Max(lag, (DateTimeOffset.UtcNow - since).TotalSeconds);
        }
        return lag;
    }

    /// <summary>
    /// Seeds reviews of <paramref name="trials"/> trials (8 clients) until they hold at least
    /// <paramref name="events"/> events, waits for their snapshots, then rebuilds every one of them
    /// (<paramref name="parallel"/> at a time) and reports the time, the events read and the versions checked.
    /// </summary>
    /// <remarks>With <paramref name="seeded"/>, the reviews of an earlier run with this prefix are rebuilt again, without seeding.</remarks>
    /// <remarks>With <paramref name="apiPid"/>, the CPU that API process spent per event (whatever else runs on the machine).</remarks>
    public async Task<double> RebuildAsync(string prefix, int events, int trials, int parallel, TimeSpan limit, bool seeded = false, int? apiPid = null)
    {
        var perReview = trials + 2;
        var reviewCount = (events + perReview - 1) / perReview;
        if (!seeded)
            await ImportAsync(prefix, reviewCount, trials, limit, clients: 8);
        var reviews = Enumerable.Range(0, reviewCount).Select(r => $"{prefix}-{r}").ToList();

        var clock = Stopwatch.StartNew();
        var (cpu, parts) = (Machine.MachineCpu(), Machine.CpuByPart());
        var apiBefore = apiPid is { } pid ? Machine.Usage(pid) : null;
        int read = 0, versions = 0, different = 0;
        await Parallel.ForEachAsync(reviews, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (review, ct) =>
        {
            var (e, v, identical) = await api.RebuildAsync(review, ct);
            Interlocked.Add(ref read, e);
            Interlocked.Add(ref versions, v);
            if (!identical)
                Interlocked.Increment(ref different);
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var (cpuAfter, partsAfter) = (Machine.MachineCpu(), Machine.CpuByPart());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rebuild: {read} events, {versions} versions recomputed and compared in {seconds:0.0} s ({read / seconds:0} events/s), {parallel} reviews at a time; {different} review(s) differed"));
        var busy = cpuAfter.Busy - cpu.Busy;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  machine CPU busy {100 * busy / (cpuAfter.Total - cpu.Total):0}% of {Environment.ProcessorCount} cores; {1000 * busy / read:0.000} ms of CPU per event"));
        output.WriteLine(PerCommand(parts, partsAfter, busy, read).Replace(" ms", " ms/event", StringComparison.Ordinal));
        if (apiPid is { } p && apiBefore is { } a && Machine.Usage(p) is { } b)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  the API process {p}: {1000 * (b.CpuSeconds - a.CpuSeconds) / read:0.000} ms of CPU per event, {(b.CpuSeconds - a.CpuSeconds) / seconds:0.00} cores on average"));
        return read / seconds;
    }

    /// <summary>
    /// Imports <paramref name="reviews"/> reviews of <paramref name="trials"/> trials and waits for the
    /// snapshots: a command per trial, or with <paramref name="byYear"/> a batch per publication year
    /// (at most 1,000 trials each), as <c>evidence import</c> sends them.
    /// </summary>
    /// <returns>The seconds until the snapshots caught up (to the limit when they did not).</returns>
    public async Task<double> ImportAsync(string prefix, int reviews, int trials, TimeSpan limit, int clients = 4, bool byYear = false)
    {
        var clock = Stopwatch.StartNew();
        var stop = DateTime.UtcNow + limit;
        var names = Enumerable.Range(0, reviews).Select(r => $"{prefix}-{r}").ToList();
        var commands = 0;
        var requests = 0;
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = clients }, async (review, ct) =>
        {
            await api.CreateReviewAsync(review, ct);
            if (byYear)
            {
                var batches = Enumerable.Range(1, trials).GroupBy(Api.Year).OrderBy(y => y.Key).SelectMany(y => y.Chunk(1000));
                foreach (var batch in batches.TakeWhile(_ => DateTime.UtcNow < stop))
                {
                    await api.RecordTrialsAsync(review, batch, ct);
                    Interlocked.Add(ref commands, batch.Length);
                    Interlocked.Increment(ref requests);
                }
                return;
            }
            for (var n = 1; n <= trials && DateTime.UtcNow < stop; n++)
            {
                await api.RecordTrialAsync(review, n, ct);
                Interlocked.Increment(ref commands);
                Interlocked.Increment(ref requests);
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
            $"import{(byYear ? " by year" : "")}: {reviews} review(s) x {trials} trials: {commands} trials in {requests} requests in {imported:0.0} s ({commands / imported:0} trials/s), snapshots caught up at {clock.Elapsed.TotalSeconds:0.0} s{(complete ? "" : $" (stopped at the {limit.TotalSeconds:0} s limit)")}"));
        return complete ? clock.Elapsed.TotalSeconds : double.PositiveInfinity;
    }
}
