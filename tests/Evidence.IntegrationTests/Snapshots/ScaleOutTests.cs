using System.Net;
using System.Text.RegularExpressions;
using Evidence.Contracts;
using Evidence.Domain;
using Evidence.Domain.Snapshots;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Faults;
using JasperFx;
using Marten;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// Two worker processes as competing consumers of one queue, under concurrent load on several
/// reviews: every outcome still gets versions 1..n in the order of its causes, each written once.
/// </summary>
public sealed partial class ScaleOutTests(SnapshotPipeline<ScaleOutTests> pipeline, ITestOutputHelper output) : IClassFixture<SnapshotPipeline<ScaleOutTests>>
{
    private const int Reviews = 6;
    private const int ClientsPerReview = 3;
    private const int TrialsPerClient = 5;
    private const int Trials = ClientsPerReview * TrialsPerClient;

    private HttpClient Client => pipeline.Client;

    /// <summary>The worker's line for each commit of snapshots (SnapshotCatchUp), logged only after the commit succeeded.</summary>
    [GeneratedRegex(@"Review (?<review>\S+): (?<count>\d+) snapshot\(s\) up to sequence \d+")]
    private static partial Regex SnapshotsWritten();

    /// <summary>
    /// Trial <paramref name="n"/>, with data for both outcomes, so one event yields a version of each.
    /// Every trial's counts differ, so the variances differ whichever trials are committed first
    /// (Egger's regression has no solution when all variances are equal).
    /// </summary>
    private static object Trial(int n) => new
    {
        id = $"t{n:00}",
        year = 1990 + n,
        source = $"t{n:00} et al.",
        data = new Dictionary<string, object>
        {
            ["response"] = new { ai = 3 + n, bi = 17 - n, ci = 6, di = 14 },
            ["fever"] = new { xi = 3 + n, ni = 40 },
        },
    };

    private async Task ReviewAsync(string id)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "DL" })).StatusCode);
    }

    /// <summary>
    /// Creates the review, then records its trials from several clients at once, then corrects one trial.
    /// The review's own events and its first trials follow each other closely, so one process may catch
    /// up to a point that yields no version while the other writes the first ones: the race that the
    /// progress document's concurrency check closes.
    /// </summary>
    private async Task LoadAsync(string review)
    {
        await ReviewAsync(review);
        await Task.WhenAll(Enumerable.Range(0, ClientsPerReview).Select(async c =>
        {
            for (var i = 0; i < TrialsPerClient; i++)
                Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial(c * TrialsPerClient + i))).StatusCode);
        }));
        // Changes the response data only: a version of response, none of fever.
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/t00/corrections",
            new { data = new { response = new { ai = 1, bi = 2 } }, reason = "wrong arm" }, ifMatch: "1")).StatusCode);
    }

    [Fact]
    public async Task TwoWorkers_Should_ShareTheQueue_AndKeepEveryOutcomesVersionsInOrder_WithoutGapsOrDuplicates()
    {
        await using var second = pipeline.StartWorker();
        var factory = new ConnectionFactory { Uri = pipeline.Scope.RabbitMq };
        await using var connection = await factory.CreateConnectionAsync();
        // Both processes consume from the start, so the broker spreads the messages over them.
        await WaitForConsumersAsync(connection, 2);

        var reviews = Enumerable.Range(0, Reviews).Select(r => $"scale-{r}").ToList();
        await Task.WhenAll(reviews.Select(LoadAsync));

        var expected = new Dictionary<string, int> { ["response"] = Trials + 1, ["fever"] = Trials };
        foreach (var review in reviews)
        {
            foreach (var (outcome, count) in expected)
            {
                // Caught up, versions 1..count in the order of their causes, and a rebuild identical.
                var versions = await pipeline.AssertNothingLostNothingDuplicatedAsync(review, outcome, count);
                var k = versions.EnumerateArray().Select(v => v.GetProperty("summary").GetProperty("k").GetInt32()).ToList();
                var trials = versions.EnumerateArray().Take(Trials).Select(v => v.GetProperty("cause").GetProperty("trialId").GetString()).ToList();
                Assert.Equal(Enumerable.Range(1, Trials), k.Take(Trials));
                Assert.Equal(Enumerable.Range(0, Trials).Select(n => $"t{n:00}"), trials.Order(StringComparer.Ordinal));
                if (outcome == "response")
                {
                    var last = versions[Trials];
                    Assert.Equal("TrialCorrected", last.GetProperty("cause").GetProperty("type").GetString());
                    Assert.Equal("t00", last.GetProperty("cause").GetProperty("trialId").GetString());
                    Assert.Equal(Trials, k[Trials]);
                }
            }
        }

        // Which process took which message is the broker's choice, and one of them may find the work
        // already done by the other (the message only says "caught up to S"); one process writing every
        // version is a legitimate outcome, so the share per process is only reported. What is
        // deterministic: every stored version was committed, and logged, by exactly one of the two
        // processes, and both were still consuming at the end.
        var total = reviews.Count * expected.Values.Sum();
        var workers = new[] { pipeline.Worker, second };
        var written = await WaitForLoggedSnapshotsAsync(workers, reviews, total);
        output.WriteLine($"snapshots written per process: {string.Join(", ", written)} (of {total})");
        Assert.Equal(total, written.Sum());
        Assert.All(workers, w => Assert.False(w.HasExited, w.Output));
        Assert.Equal(2u, await ConsumersAsync(connection));
    }

    /// <summary>
    /// What keeps two processes' runs of one review apart when one of them writes no snapshot (and so
    /// collides with no snapshot version): its progress, read before the other's commit, is refused.
    /// </summary>
    [Fact]
    public async Task ProgressReadBeforeAnotherProcessCommitted_Should_BeRefused_SoProgressNeverMovesBackwards()
    {
        await using var store = DocumentStore.For(o => o.ConfigureEvidence(pipeline.Scope.Postgres, pipeline.Scope.Schema));
        const string review = "progress-race";

        // Neither run has seen any progress; the first to commit wins.
        await using (var first = store.LightweightSession())
        await using (var second = store.LightweightSession())
        {
            Assert.Null(await first.LoadAsync<SnapshotProgress>(review));
            Assert.Null(await second.LoadAsync<SnapshotProgress>(review));
            first.Store(new SnapshotProgress(review, 20));
            await first.SaveChangesAsync();
            second.Store(new SnapshotProgress(review, 10));
            await Assert.ThrowsAsync<ConcurrencyException>(() => second.SaveChangesAsync());
        }

        // Both read progress 20; the one that commits second, with less, is refused.
        await using (var ahead = store.LightweightSession())
        await using (var behind = store.LightweightSession())
        {
            Assert.Equal(20, (await ahead.LoadAsync<SnapshotProgress>(review))!.Sequence);
            Assert.Equal(20, (await behind.LoadAsync<SnapshotProgress>(review))!.Sequence);
            ahead.Store(new SnapshotProgress(review, 40));
            await ahead.SaveChangesAsync();
            behind.Store(new SnapshotProgress(review, 30));
            await Assert.ThrowsAsync<ConcurrencyException>(() => behind.SaveChangesAsync());
        }

        // One run committing in batches moves its own progress on.
        await using (var batches = store.LightweightSession())
        {
            Assert.Equal(40, (await batches.LoadAsync<SnapshotProgress>(review))!.Sequence);
            batches.Store(new SnapshotProgress(review, 50));
            await batches.SaveChangesAsync();
            batches.Store(new SnapshotProgress(review, 60));
            await batches.SaveChangesAsync();
        }

        await using var query = store.QuerySession();
        Assert.Equal(60, (await query.LoadAsync<SnapshotProgress>(review))!.Sequence);
    }

    /// <summary>
    /// The snapshots each process logged for these reviews. The log reaches the test a little after the
    /// commit, so this waits until the lines account for <paramref name="total"/> or a deadline passes.
    /// </summary>
    private static async Task<int[]> WaitForLoggedSnapshotsAsync(IReadOnlyList<WorkerProcess> workers, IReadOnlyCollection<string> reviews, int total)
    {
        int[] written = [];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            written = workers.Select(w => SnapshotsWritten().Matches(w.Output)
                .Where(m => reviews.Contains(m.Groups["review"].Value))
                .Sum(m => int.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture))).ToArray();
            if (written.Sum() >= total)
                break;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return written;
    }

    private static async Task WaitForConsumersAsync(IConnection connection, uint consumers)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var now = 0u;
        while (DateTime.UtcNow < deadline)
        {
            now = await ConsumersAsync(connection);
            if (now == consumers)
                return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Queues.Snapshots} has {now} of {consumers} consumers.");
    }

    /// <summary>The consumers of the worker's queue; none while no worker has declared it yet.</summary>
    private static async Task<uint> ConsumersAsync(IConnection connection)
    {
        await using var probe = await connection.CreateChannelAsync();
        try
        {
            return (await probe.QueueDeclarePassiveAsync(Queues.Snapshots)).ConsumerCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }
}
