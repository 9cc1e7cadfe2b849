using System.Net;
using System.Text.Json;
using Evidence.IntegrationTests.Api;

namespace Evidence.IntegrationTests.Webhooks;

/// <summary>
/// The API allowed a loopback target (as a name that resolved to a public address then would pass);
/// the worker, which allows only public targets, checks the addresses again when it connects, as
/// after a DNS rebinding. Its retries give up quickly here, so the cursor must move on.
/// </summary>
public sealed class GuardedWorkerPipeline : WebhookPipeline<ConnectTimeGuardTests>
{
    protected override void ConfigureWorker(Dictionary<string, string?> settings)
    {
        settings["Webhooks:AllowPrivateTargets"] = "false";
        settings["Webhooks:GiveUpHours"] = "0.0003";
    }
}

public sealed class ConnectTimeGuardTests(GuardedWorkerPipeline pipeline) : IClassFixture<GuardedWorkerPipeline>
{
    private HttpClient Client => pipeline.Client;

    [Fact]
    public async Task NonPublicAddress_AtConnectTime_Should_FailTheAttempts_AndTheCursorMoveOn()
    {
        const string review = "rebound";
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id = review, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML" })).StatusCode);
        foreach (var (id, ai) in new[] { ("a-2016", 12), ("b-2019", 15), ("c-2021", 9) })
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials",
                new { id, year = 2016, source = "s", data = new { response = new { ai, bi = 20 - ai, ci = 6, di = 14 } } })).StatusCode);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots")).Json()) is var versions
               && (versions.ValueKind != JsonValueKind.Array || versions.GetArrayLength() < 3) && DateTime.UtcNow < until)
            await Task.Delay(100);
        var created = await (await Client.Post($"/reviews/{review}/subscriptions", new { url = pipeline.Receiver.Url("rebound") })).Json();
        var subscription = created.GetProperty("id").GetString()!;

        foreach (var trial in new[] { "a-2016", "b-2019" })
        {
            var etag = (await Client.GetAsync($"/reviews/{review}/trials/{trial}")).Headers.ETag!.Tag;
            Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/{trial}/retraction", new { reason = "r" }, ifMatch: etag)).StatusCode);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement deliveries;
        do
        {
            await Task.Delay(200);
            deliveries = await (await Client.GetAsync($"/reviews/{review}/subscriptions/{subscription}/deliveries")).Json();
        }
        while ((deliveries.GetArrayLength() < 2 || deliveries.EnumerateArray().Any(d => d.GetProperty("status").GetString() != "failed"))
               && DateTime.UtcNow < deadline);

        Assert.True(deliveries.GetArrayLength() == 2, $"{deliveries}\n{pipeline.Worker.Output}");
        Assert.All(deliveries.EnumerateArray(), d =>
        {
            Assert.Equal("failed", d.GetProperty("status").GetString());
            Assert.True(d.GetProperty("attempts").GetInt32() >= 1);
            Assert.Contains("127.0.0.1", d.GetProperty("lastError").GetString());
            Assert.False(d.TryGetProperty("lastStatusCode", out _));
        });
        Assert.Equal([4L, 5L], deliveries.EnumerateArray().Select(d => d.GetProperty("version").GetInt64()));
        Assert.Empty(pipeline.Receiver.Received("rebound"));
    }
}
