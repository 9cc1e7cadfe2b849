using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Evidence.Contracts;
using Evidence.Load;
using MassTransit;

// Drives a running Evidence (API, worker, PostgreSQL, RabbitMQ on loopback) and reports what it measured.
//   dotnet run -c Release --project bench/Evidence.Load -- [--api URL] [--key API_KEY] [--rabbitmq URI] [--count N] [--rate PER_SECOND] [--warmup N]
// The key defaults to EVIDENCE_API_KEY, then to .local/admin.key (as ./evidence.sh run leaves it).
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "", StringComparer.Ordinal);
var apiUrl = options.GetValueOrDefault("api") ?? Environment.GetEnvironmentVariable("EVIDENCE_URL") ?? "http://127.0.0.1:5080";
var rabbitMq = options.GetValueOrDefault("rabbitmq") ?? Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq") ?? "amqp://evidence:evidence@127.0.0.1:55672/";
var count = int.Parse(options.GetValueOrDefault("count") ?? "200", CultureInfo.InvariantCulture);
var rate = double.Parse(options.GetValueOrDefault("rate") ?? "20", CultureInfo.InvariantCulture);
var warmup = int.Parse(options.GetValueOrDefault("warmup") ?? "20", CultureInfo.InvariantCulture);

var key = options.GetValueOrDefault("key") ?? Environment.GetEnvironmentVariable("EVIDENCE_API_KEY")
          ?? (File.Exists(".local/admin.key") ? File.ReadAllText(".local/admin.key").Trim() : null);
using var http = new HttpClient { BaseAddress = new Uri(apiUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
if (key is not null)
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
var api = new Api(http);
var review = $"load-{DateTime.UtcNow:yyyyMMddHHmmss}";
var arrivals = new ConcurrentDictionary<long, long>();
var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
{
    cfg.Host(new Uri(rabbitMq));
    cfg.ReceiveEndpoint($"evidence-load-{Guid.NewGuid():N}", e =>
    {
        e.AutoDelete = true;
        e.Handler<EstimateChanged>(context =>
        {
            if (context.Message.ReviewId == review)
                arrivals.TryAdd(context.Message.Version, Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        });
    });
});
await bus.StartAsync();
try
{
    // Warm up on another review: JIT, connection pools, and the async daemon taking its leadership.
    var warm = review + "-warmup";
    await api.CreateReviewAsync(warm, default);
    for (var n = 1; n <= warmup; n++)
        await api.RecordTrialAsync(warm, n, default);
    while (warmup > 0 && !await api.CaughtUpAsync(warm, default))
        await Task.Delay(100);
    await api.CreateReviewAsync(review, default);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"command -> snapshot latency: {count} trials recorded at {rate}/s into {review}, each timed until its EstimateChanged arrives"));
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
    Console.WriteLine($"  {Percentiles.Of(latencies)}; {count - latencies.Count} not seen within 60 s");
}
finally
{
    await bus.StopAsync();
}
