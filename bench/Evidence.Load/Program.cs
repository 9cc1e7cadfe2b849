using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Evidence.Contracts;
using Evidence.Load;
using MassTransit;

// Drives a running Evidence (API, worker, PostgreSQL, RabbitMQ on loopback, as ./evidence.sh run --detach leaves them)
// and reports what it measured, beside the machine's own commit ceiling (pgbench).
//   dotnet run -c Release --project bench/Evidence.Load -- [--scenario latency|throughput|import|rebuild|reads|growth|all] [--api URL] [--key KEY]
//       [--rabbitmq URI] [--postgres CONNECTION_STRING] [--count N] [--rate PER_SECOND] [--warmup N] [--seconds S] [--clients N]
//       [--settle SECONDS] [--variants all|one] [--spread REVIEWS_PER_CLIENT] [--reviews N] [--trials N] [--big N] [--events N] [--parallel N]
//       [--repeats N] [--api-pid PID] [--review ID] [--import year|trial|both] [--big-only]
//       [--rebuild-of PREFIX] [--quiet SECONDS]
//       [--ks 10,100,1000,10000] [--histories 10,1000] [--history-trials 1000] [--review-counts 1,100,10000]
// --scenario growth (not part of all): how each cost grows with k, history and reviews; see GrowthScenario.
// --scenario reads runs alone, without the warm-up (which it would measure), and last in all: see ReadScenario.
// Every run ends with the table of the targets it measured (Targets).
// The key defaults to EVIDENCE_API_KEY, then to .local/admin.key.
// An option given twice takes its last value, so `./evidence.sh load --scenario latency` overrides the default.
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .GroupBy(x => x.a[2..], StringComparer.Ordinal)
    .ToDictionary(g => g.Key, g => g.Last().i + 1 < args.Length ? args[g.Last().i + 1] : "", StringComparer.Ordinal);
string Option(string name, string fallback) => options.GetValueOrDefault(name) ?? fallback;
int Int(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var scenario = Option("scenario", "latency");
var apiUrl = Option("api", Environment.GetEnvironmentVariable("EVIDENCE_URL") ?? "http://127.0.0.1:5080");
var rabbitMq = Option("rabbitmq", Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq") ?? "amqp://evidence-api:evidence-api@127.0.0.1:55672/");
var key = options.GetValueOrDefault("key") ?? Environment.GetEnvironmentVariable("EVIDENCE_API_KEY")
          ?? (File.Exists(".local/admin.key") ? File.ReadAllText(".local/admin.key").Trim() : null);
var postgres = Option("postgres", Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
    ?? "Host=127.0.0.1;Port=55432;Database=evidence;Username=evidence;Password=evidence");
var seconds = Int("seconds", 60);
var clients = Int("clients", 8);

using var http = new HttpClient { BaseAddress = new Uri(apiUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
if (key is not null)
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
var api = new Api(http);
var run = $"load-{DateTime.UtcNow:yyyyMMddHHmmss}";
var arrivals = new ConcurrentDictionary<string, ConcurrentDictionary<long, Arrival>>(StringComparer.Ordinal);
ConcurrentDictionary<long, Arrival> Estimates(string review) => arrivals.GetOrAdd(review, _ => new ConcurrentDictionary<long, Arrival>());

var targets = new Targets();
var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
{
    cfg.Host(new Uri(rabbitMq));
    cfg.ReceiveEndpoint($"evidence-load-{Guid.NewGuid():N}", e =>
    {
        e.AutoDelete = true;
        e.Handler<EstimateChanged>(context =>
        {
            Estimates(context.Message.ReviewId).TryAdd(context.Message.Version,
                new Arrival(Stopwatch.GetTimestamp(), (DateTimeOffset.UtcNow - context.Message.At).TotalSeconds));
            return Task.CompletedTask;
        });
    });
});
await bus.StartAsync();
try
{
    var scenarios = new Scenarios(api, Estimates, Console.Out);
    Console.WriteLine($"load average at the start: {Machine.LoadAverage()}");
    if (scenario == "reads")
    {
        await new ReadScenario(http, scenarios, Console.Out, options.ContainsKey("api-pid") ? Int("api-pid", 0) : null, targets)
            .RunAsync($"{run}-reads", Int("big", 10_000), Int("repeats", 20), options.GetValueOrDefault("review"), Option("import", "year") == "trial");
        return;
    }
    // Warm up on a review of its own: JIT, connection pools, and the async daemon taking its leadership.
    await scenarios.ImportAsync($"{run}-warmup", 1, Int("warmup", 300), TimeSpan.FromSeconds(120));
    // Up to 50 trials a version also stores its per-study sections, code that the review above runs
    // only 50 times: not enough for the JIT to finish tiering it up, so the first versions of every
    // scenario's new outcome ran half-compiled code (and the JIT beside it), which made the latency
    // tail. Outcomes that stay small give that code as many versions again as the review above.
    var small = Int("warmup", 300) / 50;
    if (small > 0)
        await scenarios.ImportAsync($"{run}-warmup-small", small, 50, TimeSpan.FromSeconds(120));
    // A freshly started worker's first reconciliation reads every review, and the JIT is still
    // tiering up; the scenarios measure the steady state after them: at least --settle seconds, and
    // until the machine is quiet (at most two minutes more).
    await Task.Delay(TimeSpan.FromSeconds(Int("settle", 15)));
    var quiet = await Machine.WaitQuietAsync(TimeSpan.FromSeconds(Int("quiet", 120)));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"settled: machine {(quiet.Quiet ? "quiet" : "still busy")} after {quiet.Waited.TotalSeconds:0} s more; {Machine.DatabaseSize()}"));
    var pids = new[] { "api", "worker" }.ToDictionary(h => h, h => File.Exists($".local/run/{h}.pid") ? int.Parse(File.ReadAllText($".local/run/{h}.pid").Trim(), CultureInfo.InvariantCulture) : 0);
    var before = pids.ToDictionary(p => p.Key, p => Machine.Usage(p.Value));
    var clock = Stopwatch.StartNew();

    if (scenario is "latency" or "all")
    {
        var latency = await scenarios.LatencyAsync($"{run}-latency", Int("count", 200), double.Parse(Option("rate", "20"), CultureInfo.InvariantCulture));
        targets.AtMost($"command -> snapshot committed at {Option("rate", "20")}/s, p99", latency.P99, 50, "ms");
    }
    if (scenario is "throughput" or "all")
    {
        var (perSecond, lagMax) = await scenarios.ThroughputAsync($"{run}-throughput", clients, 1, TimeSpan.FromSeconds(seconds));
        targets.AtMost($"snapshot lag, {clients} clients, worst version", lagMax, 2, "s");
        // --variants one: only the run above, for comparing one change with another.
        if (Option("variants", "all") == "all")
        {
            await scenarios.ThroughputAsync($"{run}-spread", clients, Int("spread", 25), TimeSpan.FromSeconds(seconds));
            // Fewer clients: the rate the snapshots keep up with while the same machine serves the commands.
            await scenarios.ThroughputAsync($"{run}-steady", 2, Int("spread", 25), TimeSpan.FromSeconds(seconds));
        }
        if (Machine.PgbenchTps(clients, 10) is { } ceiling && Machine.PgbenchTps(1, 10) is { } single)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pgbench single-row commits: {single:0} tps with 1 client, {ceiling:0} tps with {clients}; commands reached {100 * perSecond / ceiling:0.0}% of the {clients}-client ceiling"));
        // The stack's own ceiling: one stream per transaction as each command writes it; eight, as a
        // group commit of concurrent commands would; and eight bare events, without the inline trial.
        foreach (var (perTransaction, inlineTrial) in new[] { (1, true), (8, true), (8, false) })
        {
            var (appends, cpuPerAppend) = await StackCeiling.MartenAppendsAsync(postgres, clients, perTransaction, inlineTrial, TimeSpan.FromSeconds(10));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Marten alone starting streams, {perTransaction} per transaction, {(inlineTrial ? "with" : "without")} the inline trial, {clients} writers: {appends:0}/s, {cpuPerAppend:0.00} ms of CPU each; commands reached {100 * perSecond / appends:0.0}% of it"));
            if (perTransaction == 1)
                targets.AtLeast(string.Create(CultureInfo.InvariantCulture, $"trial commands with snapshots, {clients} clients ({perSecond:0}/s), share of Marten alone ({appends:0}/s)"), 100 * perSecond / appends, 40, "%");
        }
    }
    if (scenario is "import" or "all")
    {
        // --import year (the default): a batch per publication year, as evidence import sends them;
        // trial: a command per trial; both: each, one after the other.
        var by = Option("import", "year");
        foreach (var byYear in new[] { false, true }.Where(y => by == "both" || (by == "year") == y))
        {
            var tag = byYear ? "year" : "trial";
            if (!options.ContainsKey("big-only"))
                await scenarios.ImportAsync($"{run}-many-{tag}", Int("reviews", 100), Int("trials", 100), TimeSpan.FromSeconds(seconds * 5), byYear: byYear);
            var caughtUp = await scenarios.ImportAsync($"{run}-one-{tag}", 1, Int("big", 10_000), TimeSpan.FromSeconds(seconds * 5), clients: 1, byYear: byYear);
            if (byYear)
                targets.AtMost($"import of {Int("big", 10_000):N0} trials by year, snapshots caught up", caughtUp, 10, "s");
        }
    }
    if (scenario is "rebuild" or "all")
    {
        // --rebuild-of PREFIX: rebuild the reviews an earlier run seeded (its "<run>-rebuild"), e.g. to compare builds of the API.
        var rate = await scenarios.RebuildAsync(options.GetValueOrDefault("rebuild-of") ?? $"{run}-rebuild", Int("events", 100_000), Int("trials", 100), Int("parallel", 4),
            TimeSpan.FromSeconds(seconds * 10), seeded: options.ContainsKey("rebuild-of"),
            apiPid: options.ContainsKey("api-pid") ? Int("api-pid", 0) : pids["api"] > 0 ? pids["api"] : null);
        targets.AtLeast("rebuild, events recomputed and compared", rate, 10_000, "events/s");
    }
    if (scenario == "growth")
    {
        IReadOnlyList<int> Ints(string name, string fallback) => Option(name, fallback).Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
        await new GrowthScenario(http, api, scenarios, Estimates, Console.Out)
            .RunAsync($"{run}-growth", Ints("ks", "10,100,1000,10000"), Ints("histories", "10,1000"), Int("history-trials", 1000), Ints("review-counts", "1,100,10000"));
    }
    if (scenario == "all")
        await new ReadScenario(http, scenarios, Console.Out, pids["api"] > 0 ? pids["api"] : null, targets)
            .RunAsync($"{run}-reads", Int("big", 10_000), Int("repeats", 20), null, byTrial: false);

    foreach (var (host, pid) in pids.Where(p => p.Value > 0))
    {
        if (Machine.Usage(pid) is { } after && before[host] is { } start)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{host}: {after.MiB:0} MiB resident, {(after.CpuSeconds - start.CpuSeconds) / clock.Elapsed.TotalSeconds * 100:0}% of one core over the run"));
    }
}
finally
{
    targets.Print(Console.Out);
    await bus.StopAsync();
}
