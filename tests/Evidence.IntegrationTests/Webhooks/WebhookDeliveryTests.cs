using System.Net;
using System.Text.Json;
using Evidence.IntegrationTests.Api;

namespace Evidence.IntegrationTests.Webhooks;

/// <summary>
/// Versions with matching signals reach a real receiver, signed, in order, through failures of the
/// receiver and a crash of the worker; the API, the worker and the receiver run for real.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookPipeline<WebhookDeliveryTests> pipeline) : IClassFixture<WebhookPipeline<WebhookDeliveryTests>>
{
    private HttpClient Client => pipeline.Client;
    private WebhookReceiver Receiver => pipeline.Receiver;

    private static object Trial(string id, int year, double ai, bool fever = true)
    {
        var data = new Dictionary<string, object> { ["response"] = new { ai, bi = 20 - ai, ci = 6, di = 14 } };
        if (fever)
            data["fever"] = new { xi = (int)(ai / 2), ni = 20 };
        return new { id, year, source = $"{id} et al.", data };
    }

    private async Task<string> ReviewAsync(string id, params object[] trials)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "DL" })).StatusCode);
        foreach (var trial in trials)
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/trials", trial)).StatusCode);
        await WaitForVersionsAsync(id, "response", trials.Length);
        return id;
    }

    /// <summary>Subscribes the receiver's target <paramref name="name"/> and trusts the secret the answer shows.</summary>
    private async Task<string> SubscribeAsync(string review, string name, string[]? outcomes = null, string[]? kinds = null)
    {
        var response = await Client.Post($"/reviews/{review}/subscriptions", new { url = Receiver.Url(name), outcomes, kinds, description = name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Json();
        Receiver.Trust(name, created.GetProperty("secret").GetString()!);
        return created.GetProperty("id").GetString()!;
    }

    private async Task RetractAsync(string review, string trial)
    {
        var current = await Client.GetAsync($"/reviews/{review}/trials/{trial}");
        var response = await Client.Post($"/reviews/{review}/trials/{trial}/retraction", new { reason = "fabricated data" },
            ifMatch: current.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task WaitForVersionsAsync(string review, string outcome, int versions)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var response = await Client.GetAsync($"/reviews/{review}/outcomes/{outcome}/snapshots");
            if (response.StatusCode == HttpStatusCode.OK && (await response.Json()).GetArrayLength() >= versions)
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{review}/{outcome} never reached {versions} versions.\n{pipeline.Worker.Output}");
    }

    private async Task<JsonElement> DeliveriesAsync(string review, string subscription)
    {
        var response = await Client.GetAsync($"/reviews/{review}/subscriptions/{subscription}/deliveries");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    /// <summary>
    /// The subscription's deliveries once none is pending: the receiver sees a request before the
    /// worker records its answer, so a delivery the receiver accepted can still read as pending.
    /// </summary>
    private async Task<JsonElement> SettledDeliveriesAsync(string review, string subscription)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var deliveries = await DeliveriesAsync(review, subscription);
        while (deliveries.EnumerateArray().Any(d => d.GetProperty("status").GetString() == "pending") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            deliveries = await DeliveriesAsync(review, subscription);
        }
        return deliveries;
    }

    private async Task<IReadOnlyList<ReceivedWebhook>> WaitUntilAsync(string name, Func<IReadOnlyList<ReceivedWebhook>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (Receiver.Accepted(name) is { } accepted && done(accepted))
                return accepted;
            await Task.Delay(50);
        }
        throw new TimeoutException($"'{name}' accepted {Receiver.Accepted(name).Count} deliveries.\n{pipeline.Worker.Output}");
    }

    [Fact]
    public async Task Retraction_Should_BeDelivered_Signed_WithTheVersionAndItsSignals()
    {
        var review = await ReviewAsync("retracted", Trial("a-2016", 2016, 12), Trial("b-2019", 2019, 15), Trial("c-2021", 2021, 9));
        await WaitForVersionsAsync(review, "fever", 3);
        var subscription = await SubscribeAsync(review, "retracted");

        await RetractAsync(review, "b-2019");

        var accepted = await Receiver.WaitForAcceptedAsync("retracted", 2, () => pipeline.Worker.Output);
        Assert.All(Receiver.Received("retracted"), r => Assert.True(r.SignatureValid));
        Assert.Equal(["fever", "response"], accepted.Select(r => r.Data.GetProperty("outcomeId").GetString()).Order());
        foreach (var delivery in accepted)
        {
            var body = JsonDocument.Parse(delivery.Body).RootElement;
            Assert.Equal("estimate.signals", body.GetProperty("type").GetString());
            Assert.StartsWith("msg_", delivery.Id);
            Assert.InRange(delivery.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
            var data = delivery.Data;
            Assert.Equal(review, data.GetProperty("reviewId").GetString());
            Assert.Equal(4, data.GetProperty("version").GetInt64());
            Assert.Equal("TrialRetracted", data.GetProperty("cause").GetProperty("type").GetString());
            Assert.Equal("b-2019", data.GetProperty("cause").GetProperty("trialId").GetString());
            Assert.Equal("fabricated data", data.GetProperty("cause").GetProperty("reason").GetString());
            Assert.Contains(data.GetProperty("signals").EnumerateArray(),
                s => s.GetProperty("kind").GetString() == "trialStatus" && s.GetProperty("trialId").GetString() == "b-2019");
            Assert.Equal(2, data.GetProperty("summary").GetProperty("k").GetInt32());
            var link = data.GetProperty("links").GetProperty("snapshot").GetString()!;
            Assert.Equal(4, (await (await Client.GetAsync(link)).Json()).GetProperty("version").GetInt64());
        }

        var deliveries = await SettledDeliveriesAsync(review, subscription);
        Assert.Equal(2, deliveries.GetArrayLength());
        Assert.All(deliveries.EnumerateArray(), d =>
        {
            Assert.Equal("delivered", d.GetProperty("status").GetString());
            Assert.Equal(1, d.GetProperty("attempts").GetInt32());
            Assert.Equal(200, d.GetProperty("lastStatusCode").GetInt32());
            Assert.True(d.TryGetProperty("deliveredAt", out _));
        });
        Assert.Equal(accepted.Select(r => r.Id).Order(), deliveries.EnumerateArray().Select(d => d.GetProperty("id").GetString()!).Order());
    }

    [Fact]
    public async Task SignificanceFlip_Should_BeDelivered_WithPBeforeAndAfter()
    {
        // 12/20 against 6/20 alone: p about 0.07; with 15/20 against 6/20 pooled in, well below 0.05.
        var review = await ReviewAsync("flipped", Trial("a-2016", 2016, 12, fever: false));
        var subscription = await SubscribeAsync(review, "flipped", kinds: ["significance"]);

        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("b-2019", 2019, 15, fever: false))).StatusCode);

        var delivered = Assert.Single(await Receiver.WaitForAcceptedAsync("flipped", 1, () => pipeline.Worker.Output));
        Assert.Equal(2, delivered.Version);
        Assert.Equal("TrialRecorded", delivered.Data.GetProperty("cause").GetProperty("type").GetString());
        var signal = Assert.Single(delivered.Data.GetProperty("signals").EnumerateArray(), s => s.GetProperty("kind").GetString() == "significance");
        Assert.True(signal.GetProperty("before").GetProperty("p").GetDouble() > 0.05);
        Assert.True(signal.GetProperty("after").GetProperty("p").GetDouble() < 0.05);
        Assert.Equal(1, (await DeliveriesAsync(review, subscription)).GetArrayLength());
    }

    [Fact]
    public async Task Filters_Should_LeaveOut_VersionsWithoutAMatchingSignal_OrOfOtherOutcomes()
    {
        var review = await ReviewAsync("filtered", Trial("a-2016", 2016, 12), Trial("b-2019", 2019, 15));
        await WaitForVersionsAsync(review, "fever", 2);
        var retractions = await SubscribeAsync(review, "filtered-kinds", kinds: ["trialStatus"]);
        await SubscribeAsync(review, "filtered-fever", outcomes: ["fever"]);

        // A new trial gives new versions of both outcomes, but no trialStatus signal.
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("c-2021", 2021, 9))).StatusCode);
        await WaitForVersionsAsync(review, "response", 3);
        await WaitForVersionsAsync(review, "fever", 3);
        await RetractAsync(review, "a-2016");

        // Deliveries go out in order, so once version 4 is in, version 3 would have come before it.
        var kinds = await Receiver.WaitForAcceptedAsync("filtered-kinds", 2, () => pipeline.Worker.Output);
        Assert.All(kinds, r => Assert.Equal(4, r.Version));
        Assert.Equal(2, (await DeliveriesAsync(review, retractions)).GetArrayLength());
        var fever = await WaitUntilAsync("filtered-fever", accepted => accepted.Any(r => r.Version == 4));
        Assert.All(fever, r => Assert.Equal("fever", r.Data.GetProperty("outcomeId").GetString()));
        Assert.Equal(fever.Select(r => r.Version).Order(), fever.Select(r => r.Version));
    }

    [Fact]
    public async Task FailingReceiver_Should_GetEveryVersion_InOrder_OnceItRecovers()
    {
        var review = await ReviewAsync("flaky",
            Trial("a-2016", 2016, 12, fever: false), Trial("b-2017", 2017, 15, fever: false), Trial("c-2018", 2018, 9, fever: false), Trial("d-2019", 2019, 11, fever: false));
        var subscription = await SubscribeAsync(review, "flaky");
        var failures = 4;
        Receiver.Answer("flaky", _ => Task.FromResult(Interlocked.Decrement(ref failures) >= 0 ? 500 : 200));

        foreach (var trial in new[] { "a-2016", "b-2017", "c-2018" })
            await RetractAsync(review, trial);

        var accepted = await Receiver.WaitForAcceptedAsync("flaky", 3, () => pipeline.Worker.Output);
        Assert.Equal([5L, 6L, 7L], accepted.Select(r => r.Version));
        Assert.Equal(3, accepted.Select(r => r.Id).Distinct().Count());
        var requested = Receiver.Received("flaky").Select(r => r.Version).ToList();
        Assert.Equal(requested.Order(), requested);
        Assert.Equal(7, requested.Count);

        var deliveries = (await SettledDeliveriesAsync(review, subscription)).EnumerateArray().ToList();
        Assert.Equal([5L, 6L, 7L], deliveries.Select(d => d.GetProperty("version").GetInt64()));
        Assert.All(deliveries, d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
        Assert.Equal([5, 1, 1], deliveries.Select(d => d.GetProperty("attempts").GetInt32()));
        Assert.Equal(accepted[0].Id, deliveries[0].GetProperty("id").GetString());
        Assert.All(Receiver.Received("flaky").Where(r => r.Version == 5), r => Assert.Equal(accepted[0].Id, r.Id));
    }

    [Fact]
    public async Task TwoWorkers_Should_SendEachDeliveryOnce_InOrder()
    {
        await using var second = pipeline.StartWorker();
        var review = await ReviewAsync("two-workers",
            Trial("a-2016", 2016, 12, fever: false), Trial("b-2017", 2017, 15, fever: false), Trial("c-2018", 2018, 9, fever: false), Trial("d-2019", 2019, 11, fever: false));
        await SubscribeAsync(review, "two-workers", kinds: ["trialStatus"]);
        // Slow answers widen the window in which a second process could send the same delivery.
        Receiver.Answer("two-workers", async _ =>
        {
            await Task.Delay(300);
            return 200;
        });

        foreach (var trial in new[] { "a-2016", "b-2017", "c-2018" })
            await RetractAsync(review, trial);

        var accepted = await Receiver.WaitForAcceptedAsync("two-workers", 3, () => pipeline.Worker.Output + second.Output);
        await Task.Delay(1000);
        Assert.Equal([5L, 6L, 7L], Receiver.Received("two-workers").Select(r => r.Version));
        Assert.Equal(3, accepted.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task WorkerRestart_MidDelivery_Should_DeliverAfterwards_WithTheSameWebhookId()
    {
        var review = await ReviewAsync("restart", Trial("a-2016", 2016, 12, fever: false), Trial("b-2019", 2019, 15, fever: false));
        var subscription = await SubscribeAsync(review, "restart");
        var first = new TaskCompletionSource<ReceivedWebhook>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = 0;
        Receiver.Answer("restart", async r =>
        {
            if (Interlocked.Increment(ref requests) > 1)
                return 200;
            first.SetResult(r);
            await release.Task.WaitAsync(TimeSpan.FromSeconds(60));
            // The worker that sent it is gone and never reads this answer.
            return 503;
        });

        await RetractAsync(review, "a-2016");
        var held = await first.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await pipeline.RestartWorkerAsync();
        release.SetResult();

        var accepted = await WaitUntilAsync("restart", accepted => accepted.Any(r => r.Id == held.Id));
        var deliveries = (await DeliveriesAsync(review, subscription)).EnumerateArray().ToList();
        var only = Assert.Single(deliveries);
        Assert.Equal(held.Id, only.GetProperty("id").GetString());
        Assert.Equal(3, only.GetProperty("version").GetInt64());
        Assert.All(accepted, r => Assert.Equal(held.Id, r.Id));
        // Wait for the status: the receiver sees the request before the worker records the answer.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await DeliveriesAsync(review, subscription))[0].GetProperty("status").GetString() != "delivered" && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal("delivered", (await DeliveriesAsync(review, subscription))[0].GetProperty("status").GetString());
    }
}
