extern alias worker;
using Evidence.Domain;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using SnapshotCatchUp = worker::Evidence.Worker.Snapshots.SnapshotCatchUp;
using SnapshotLagMeter = worker::Evidence.Worker.Snapshots.SnapshotLagMeter;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// The worker's catch-up asked to stop inside a batch (as when the daemon's high-water mark stops
/// among a batch's events): it stores its progress before the batch and writes the batch's versions
/// once, whole, on the catch-up that reaches its end.
/// </summary>
public sealed class BatchCatchUpTests(TestScope<BatchCatchUpTests> scope) : IClassFixture<TestScope<BatchCatchUpTests>>
{
    private static readonly Provenance By = new("alice", DateTimeOffset.UnixEpoch, "corr");

    private static TrialRecorded Trial(string review, int n, TrialBatch? batch) =>
        new($"t{n}", review, 2000 + n, "src", null, new Dictionary<string, string>(),
            new Dictionary<string, IReadOnlyDictionary<string, double>>
            {
                ["response"] = new Dictionary<string, double> { ["ai"] = 5 + n, ["bi"] = 20, ["ci"] = 4 + n % 3, ["di"] = 22 },
            },
            By, batch);

    [Fact]
    public async Task ACatchUpEndingInsideABatch_Should_StoreItsProgressBeforeTheBatch_AndTheNextGiveItsVersionOnce()
    {
        await using var store = DocumentStore.For(o => o.ConfigureEvidence(scope.Postgres, scope.Schema));
        const string review = "mid-batch";
        var id = Guid.NewGuid();
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream<Review>(StreamKeys.Review(review), new ReviewCreated(review, "t", "q", null, By),
                ReviewDecider.Handle(Review.Create(new ReviewCreated(review, "t", "q", null, By)),
                    new DefineOutcome("response", "Response", "binary", "RR", "REML", "z", null, null), By));
            session.Events.StartStream<Trial>(StreamKeys.Trial(review, "t0"), Trial(review, 0, null));
            await session.SaveChangesAsync();
        }
        await using (var session = store.LightweightSession())
        {
            for (var i = 0; i < 4; i++)
                session.Events.StartStream<Trial>(StreamKeys.Trial(review, $"t{i + 1}"), Trial(review, i + 1, new TrialBatch(id, i, 4)));
            await session.SaveChangesAsync();
        }
        List<long> sequences;
        await using (var query = store.QuerySession())
            sequences = [.. (await query.ReviewEventsAsync(review, 0, long.MaxValue, default)).Select(e => e.Sequence)];
        var catchUp = new SnapshotCatchUp(store, new OutcomeAnalyzer(), new SnapshotLagMeter(TimeProvider.System), NullLogger<SnapshotCatchUp>.Instance);

        var before = await catchUp.RunAsync(review, sequences[^3], default);
        SnapshotProgress? progress;
        await using (var query = store.QuerySession())
            progress = await query.LoadAsync<SnapshotProgress>(review);
        var after = await catchUp.RunAsync(review, sequences[^1], default);
        var again = await catchUp.RunAsync(review, sequences[^1], default);

        Assert.Equal(1, before);
        Assert.Equal(sequences[^4] - 1, progress!.Sequence);
        Assert.Equal(1, after);
        Assert.Equal(0, again);
        await using var read = store.QuerySession();
        var versions = await read.Query<Snapshot>().Where(s => s.ReviewId == review).OrderBy(s => s.Version).ToListAsync();
        Assert.Equal([1, 5], versions.Select(v => v.Summary.K));
        Assert.Equal(new SnapshotBatch(id, 4, sequences[^4]), versions[1].Cause.Batch);
        Assert.Equal(sequences[^1], (await read.LoadAsync<SnapshotProgress>(review))!.Sequence);
    }
}
