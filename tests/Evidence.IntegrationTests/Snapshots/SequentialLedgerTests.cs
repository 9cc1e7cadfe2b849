using System.Net;
using Evidence.Domain.Sequential;
using Evidence.Domain.Snapshots;
using Evidence.IntegrationTests.Api;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// An outcome whose newest version was written before ledgers of looks were kept: the worker that
/// next folds the review counts the looks of its earlier versions from the log.
/// </summary>
public sealed class SequentialLedgerTests(SnapshotPipeline<SequentialLedgerTests> pipeline) : IClassFixture<SnapshotPipeline<SequentialLedgerTests>>
{
    [Fact]
    public async Task AHeadWithoutALedger_Should_GetTheLooksOfItsEarlierVersions()
    {
        const string review = "ledger-replayed";
        var client = pipeline.Client;
        Assert.Equal(HttpStatusCode.Created, (await client.Post("/reviews", new { id = review, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.Post($"/reviews/{review}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "OR", method = "DL" })).StatusCode);
        for (var i = 0; i < 3; i++)
        {
            var body = new { id = $"t{i}", year = 2010 + i, source = "s", data = new { response = new { ai = 10 + i, bi = 40, ci = 15, di = 35 } } };
            Assert.Equal(HttpStatusCode.Created, (await client.Post($"/reviews/{review}/trials", body)).StatusCode);
        }
        await pipeline.WaitForVersionsAsync(review, "response", 3);
        pipeline.Worker.Kill();

        // As a worker from before ledgers left it: a head, and no ledger.
        var store = pipeline.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            var id = SnapshotHead.DocumentId(review, "response");
            var ledger = await session.LoadAsync<OutcomeLedger>(id);
            Assert.Equal(3, ledger!.Version);
            Assert.Empty(ledger.Ledger.Looks);
            Assert.Equal([1L, 2, 3], await LookVersionsAsync(session, review));
            Assert.Null((await session.LoadAsync<SnapshotHead>(id))!.Ledger);
            session.Delete<OutcomeLedger>(id);
            session.DeleteWhere<OutcomeLook>(l => l.ReviewId == review);
            await session.SaveChangesAsync();
        }

        var etag = (await client.GetAsync($"/reviews/{review}")).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.OK, (await client.Post($"/reviews/{review}/outcomes/response/sequential", new
        {
            alpha = 0.05, beta = 0.1, controlRisk = 0.3, relativeRiskReduction = 0.2, heterogeneity = "I2", spending = "Pocock", reason = "plan",
        }, ifMatch: etag)).StatusCode);
        await using var worker = pipeline.StartWorker(reconcileSeconds: 1);
        await pipeline.WaitForVersionsAsync(review, "response", 4);

        var v4 = await (await client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/4")).Json();
        Assert.Equal([1L, 2, 3], v4.GetProperty("sequential").GetProperty("looks").EnumerateArray().Select(l => l.GetProperty("version").GetInt64()));
        var rebuild = await (await client.GetAsync($"/reviews/{review}/rebuild")).Json();
        Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());
        // The looks counted again are stored, so the next fold of the review reads them.
        await using (var after = store.QuerySession())
            Assert.Equal([1L, 2, 3], await LookVersionsAsync(after, review));

        // A worker that folds the review afresh takes the looks from their documents.
        worker.Kill();
        await using var fresh = pipeline.StartWorker(reconcileSeconds: 1);
        var trial = new { id = "t9", year = 2020, source = "s", data = new { response = new { ai = 30, bi = 20, ci = 15, di = 35 } } };
        Assert.Equal(HttpStatusCode.Created, (await client.Post($"/reviews/{review}/trials", trial)).StatusCode);
        await pipeline.WaitForVersionsAsync(review, "response", 5);
        var v5 = await (await client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/5")).Json();
        Assert.Equal([1L, 2, 3, 5], v5.GetProperty("sequential").GetProperty("looks").EnumerateArray().Select(l => l.GetProperty("version").GetInt64()));
    }

    private static async Task<IEnumerable<long>> LookVersionsAsync(IQuerySession session, string review) =>
        (await session.Query<OutcomeLook>().Where(l => l.ReviewId == review).ToListAsync()).Select(l => l.Look.Version).Order();
}
