using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Evidence.IntegrationTests.Chaos;

/// <summary>One command as a client sent it, with an idempotency key of its own that every retry repeats.</summary>
public sealed record Command(string Key, string Review, string Trial, string Kind);

/// <summary>An attempt that got no answer or an error (a timeout, a refused connection, a 5xx).</summary>
public sealed record FailedAttempt(Command Command, int Api, DateTimeOffset At, string Failure);

/// <summary>How a command ended: accepted (2xx; replayed when an earlier attempt had committed it), refused, or given up.</summary>
public sealed record CommandOutcome(Command Command, int Status, bool Replayed, DateTimeOffset At, int Attempts);

/// <summary>
/// A client of the cluster, as a careful integration would be: each command carries an
/// Idempotency-Key; on an error or a timeout it is sent again, with the same key, to the other API.
/// The client owns its reviews, so its corrections never race another client's.
/// </summary>
public sealed class ChaosClient(int number, IReadOnlyList<string> reviews, string apiKey) : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    private readonly HttpClient[] apis = LocalCluster.Apis.Select(uri =>
    {
        var client = new HttpClient { BaseAddress = uri, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }).ToArray();

    private readonly Dictionary<(string Review, string Trial), long> versions = [];
    private readonly Random random = new(number);
    private int api = number % 2;
    private int trials;

    public ConcurrentQueue<FailedAttempt> Failures { get; } = new();
    public ConcurrentQueue<CommandOutcome> Outcomes { get; } = new();

    /// <summary>Records and corrects trials in this client's reviews, round-robin, until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var next = 0;
        while (!stop.IsCancellationRequested)
        {
            var review = reviews[next++ % reviews.Count];
            var known = versions.Keys.Where(k => k.Review == review).ToList();
            if (known.Count >= 2 && random.NextDouble() < 0.3)
                await CorrectAsync(known[random.Next(known.Count)]);
            else
                await RecordAsync(review);
            await Task.Delay(40, CancellationToken.None);
        }
    }

    /// <summary>Sends one command until it is answered with anything but an error, or gives up.</summary>
    public async Task<CommandOutcome> SendAsync(Command command, string path, object body, string? ifMatch = null)
    {
        var json = JsonSerializer.Serialize(body);
        var started = DateTimeOffset.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            var target = api;
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", command.Key);
                if (ifMatch is not null)
                    request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
                using var timeout = new CancellationTokenSource(RequestTimeout);
                using var response = await apis[target].SendAsync(request, timeout.Token);
                var status = (int)response.StatusCode;
                // 409 "still in progress": an attempt with this key holds its turn, on an API that may have died.
                var retry = status >= 500 || response.StatusCode == HttpStatusCode.Conflict && attempt > 1;
                if (!retry)
                {
                    var outcome = new CommandOutcome(command, status, response.Headers.Contains("Idempotency-Replayed"), DateTimeOffset.UtcNow, attempt);
                    if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()) is var text
                        && JsonDocument.Parse(text).RootElement.TryGetProperty("version", out var version))
                        versions[(command.Review, command.Trial)] = version.GetInt64();
                    Outcomes.Enqueue(outcome);
                    return outcome;
                }
                failure = $"HTTP {status}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
            {
                failure = e is HttpRequestException ? $"connection: {e.Message}" : "timeout";
            }

            Failures.Enqueue(new FailedAttempt(command, target, DateTimeOffset.UtcNow, failure));
            if (DateTimeOffset.UtcNow - started > GiveUpAfter)
            {
                var given = new CommandOutcome(command, 0, false, DateTimeOffset.UtcNow, attempt);
                Outcomes.Enqueue(given);
                return given;
            }
            api = 1 - target;
            await Task.Delay(250);
        }
    }

    private Task<CommandOutcome> RecordAsync(string review)
    {
        var n = Interlocked.Increment(ref trials);
        var trial = $"c{number}t{n}";
        return SendAsync(new Command(Guid.NewGuid().ToString("N"), review, trial, "record"), $"/reviews/{review}/trials", new
        {
            id = trial,
            year = 1990 + n % 30,
            source = $"{trial} et al.",
            // Counts differ from trial to trial, so the variances do (Egger's regression needs that).
            data = new Dictionary<string, object> { ["response"] = new { ai = 3 + n % 15, bi = 17 + n % 11, ci = 6 + n % 7, di = 14 } },
        });
    }

    private Task<CommandOutcome> CorrectAsync((string Review, string Trial) trial)
    {
        var version = versions[trial];
        // Every correction changes the counts (the recorded ones stay below 20), so each makes a version.
        return SendAsync(new Command(Guid.NewGuid().ToString("N"), trial.Review, trial.Trial, "correct"),
            $"/reviews/{trial.Review}/trials/{trial.Trial}/corrections",
            new { data = new { response = new { ai = 20 + version, bi = 30 } }, reason = "chaos: counts re-extracted" },
            ifMatch: version.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        foreach (var client in apis)
            client.Dispose();
    }
}
