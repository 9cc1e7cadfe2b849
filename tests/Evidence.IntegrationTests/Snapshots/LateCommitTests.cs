using System.Net;
using Evidence.Domain;
using Evidence.Domain.Reviews;
using Evidence.Domain.Trials;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Faults;
using Marten;
using Marten.Services;
using Npgsql;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// A command whose transaction commits long after its event took its sequence number (a slow commit,
/// a paused process), while other commands commit above it: its event still gets its version, in
/// order, and nothing else is lost or duplicated.
/// </summary>
public sealed class LateCommitTests(SnapshotPipeline<LateCommitTests> pipeline) : IClassFixture<SnapshotPipeline<LateCommitTests>>
{
    private const string Review = "late";

    /// <summary>Well past the async daemon's stale-sequence threshold (3 s), after which a gap that no live transaction may fill is skipped.</summary>
    private static readonly TimeSpan Held = TimeSpan.FromSeconds(8);

    private static object Trial(string id, int year, int xi) => new { id, year, source = $"{id} et al.", data = new { fever = new { xi, ni = 40 } } };

    [Fact]
    public async Task AnEventCommittedPastTheStaleThreshold_Should_GetItsVersion_InOrder()
    {
        var client = pipeline.Client;
        Assert.Equal(HttpStatusCode.Created, (await client.Post("/reviews", new { id = Review, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.Post($"/reviews/{Review}/outcomes", new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "DL" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.Post($"/reviews/{Review}/trials", Trial("first", 2010, 3))).StatusCode);
        await pipeline.WaitForVersionsAsync(Review, "fever", 1);

        using var store = DocumentStore.For(o => o.ConfigureEvidence(pipeline.Scope.Postgres, pipeline.Scope.Schema));
        await using var connection = new NpgsqlConnection(pipeline.Scope.Postgres);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var session = store.LightweightSession(SessionOptions.ForTransaction(transaction, shouldAutoCommit: false)))
        {
            // The API's own decision, appended inside a transaction this test holds open.
            var review = (await session.LoadAsync<Review>(Review))!;
            var command = new RecordTrial("slow", 2011, "slow et al.", null, new Dictionary<string, string>(),
                new Dictionary<string, IReadOnlyDictionary<string, double>> { ["fever"] = new Dictionary<string, double> { ["xi"] = 7, ["ni"] = 40 } });
            var recorded = TrialDecider.Handle(review, null, command, new Provenance("late-writer", DateTimeOffset.UtcNow, "late-commit"));
            session.Events.StartStream<Trial>(StreamKeys.Trial(Review, "slow"), recorded);
            await session.SaveChangesAsync();
        }

        // Other commands commit above the held sequence number while it stays open past the threshold.
        var started = DateTime.UtcNow;
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await client.Post($"/reviews/{Review}/trials", Trial($"quick-{i}", 2012 + i, 4 + i))).StatusCode);
        var wait = Held - (DateTime.UtcNow - started);
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
        await transaction.CommitAsync();

        var versions = await pipeline.AssertNothingLostNothingDuplicatedAsync(Review, "fever", 5);
        Assert.Equal(["first", "slow", "quick-0", "quick-1", "quick-2"],
            versions.EnumerateArray().Select(v => v.GetProperty("cause").GetProperty("trialId").GetString()));
        Assert.Equal([1, 2, 3, 4, 5], versions.EnumerateArray().Select(v => v.GetProperty("summary").GetProperty("k").GetInt32()));
    }

    [Fact]
    public async Task EvidenceConnections_Should_HaveTheServerEndATransactionLeftIdle()
    {
        using var store = DocumentStore.For(o => o.ConfigureEvidence(pipeline.Scope.Postgres, pipeline.Scope.Schema));
        await using var session = store.QuerySession();

        var timeout = await session.QueryAsync<string>("select current_setting('idle_in_transaction_session_timeout')");

        Assert.Equal("1min", Assert.Single(timeout));
    }
}
