using System.Net;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Faults;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>An outcome's thresholds and signal rules are events that give a new version: same estimate, judged anew.</summary>
public sealed class ThresholdsTests(SnapshotPipeline<ThresholdsTests> pipeline) : IClassFixture<SnapshotPipeline<ThresholdsTests>>
{
    private HttpClient Client => pipeline.Client;

    private static readonly (string Id, int Year, int Ai, int Bi, int Ci, int Di)[] Trials =
    [
        ("he2020-sle-rct", 2020, 16, 13, 9, 21), ("he2022-pss-rct", 2022, 20, 10, 8, 22),
        ("zhang2022-ra-rct", 2022, 12, 5, 10, 13), ("lupil2-2022", 2022, 20, 4, 15, 14),
    ];

    private async Task<string> ReviewAsync(string review)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id = review, title = "LD-IL-2", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/outcomes",
            new { id = "response", name = "Clinical response", dataType = "binary", measure = "RR", method = "REML", test = "knha" })).StatusCode);
        foreach (var t in Trials)
        {
            var body = new { id = t.Id, year = t.Year, source = t.Id, data = new { response = new { ai = t.Ai, bi = t.Bi, ci = t.Ci, di = t.Di } } };
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", body)).StatusCode);
        }
        await pipeline.WaitForVersionsAsync(review, "response", Trials.Length);
        return await ETagAsync(review);
    }

    private async Task<string> ETagAsync(string review) => (await Client.GetAsync($"/reviews/{review}")).Headers.ETag!.Tag;

    [Fact]
    public async Task SettingThresholds_Should_NeedTheReviewsVersion_AndNameEachBadField()
    {
        const string review = "thresholds-checked";
        var etag = await ReviewAsync(review);
        var path = $"/reviews/{review}/outcomes/response/thresholds";
        var good = new { lower = 0.8, upper = 1.25, controlRisk = 0.3, higherIsBetter = true, reason = "panel's MIDs" };

        Assert.Equal((HttpStatusCode)428, (await Client.Post(path, good)).StatusCode);
        var stale = await Client.Post(path, good, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(etag, stale.Headers.ETag!.Tag);

        var bad = await Client.Post(path, new { @null = 1, lower = 1.5, upper = -2, controlRisk = 1.2 }, ifMatch: etag);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["controlRisk", "lower", "reason", "upper"], (await bad.ErrorFields()).Order(StringComparer.Ordinal));
        var words = await Client.Post(path, new { controlRisk = "median", reason = "r" }, ifMatch: etag);
        Assert.Equal(["controlRisk"], await words.ErrorFields());

        var viewer = await Client.CreateKeyAsync("vera-thresholds");
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/members", new { user = "vera-thresholds", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.Post(path, good, ifMatch: await ETagAsync(review), apiKey: viewer)).StatusCode);

        // Nothing was stored by any refused request: still four versions, no thresholds.
        var outcome = (await (await Client.GetAsync($"/reviews/{review}/outcomes")).Json())[0];
        Assert.False(outcome.TryGetProperty("thresholds", out _));
        Assert.Equal(4, (await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots")).Json()).GetArrayLength());
    }

    [Fact]
    public async Task Thresholds_Should_GiveANewVersion_WithTheSameEstimate_JudgedAgainstThem()
    {
        const string review = "thresholds-set";
        var etag = await ReviewAsync(review);
        var set = await Client.Post($"/reviews/{review}/outcomes/response/thresholds",
            new { lower = 0.8, upper = 1.25, controlRisk = "pooled", higherIsBetter = true, reason = "panel's MIDs" }, ifMatch: etag);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var view = await set.Json();
        Assert.Equal(1.25, view.GetProperty("thresholds").GetProperty("upper").GetDouble());
        Assert.True(view.GetProperty("thresholds").GetProperty("pooledControlRisk").GetBoolean());
        Assert.NotEqual(etag, set.Headers.ETag!.Tag);

        var versions = await pipeline.AssertNothingLostNothingDuplicatedAsync(review, "response", 5);
        var before = versions[3].GetProperty("summary");
        var after = versions[4].GetProperty("summary");
        Assert.Equal(before.GetProperty("estimate").GetDouble(), after.GetProperty("estimate").GetDouble());
        Assert.Equal("OutcomeThresholdsSet", versions[4].GetProperty("cause").GetProperty("type").GetString());
        Assert.Equal("panel's MIDs", versions[4].GetProperty("cause").GetProperty("reason").GetString());

        var latest = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/latest")).Json();
        var thresholds = latest.GetProperty("thresholds");
        Assert.Equal(1, thresholds.GetProperty("null").GetDouble());
        Assert.Equal(0.8, thresholds.GetProperty("lower").GetDouble());
        var absolute = latest.GetProperty("absolute");
        Assert.Equal("pooled", absolute.GetProperty("controlRiskSource").GetString());
        // Σcᵢ / Σ(cᵢ + dᵢ) over the four control groups.
        Assert.Equal((9 + 8 + 10 + 15) / (double)(30 + 30 + 23 + 29), absolute.GetProperty("controlRisk").GetDouble(), 12);

        var events = await (await Client.GetAsync($"/reviews/{review}/events?type=OutcomeThresholdsSet")).Json();
        var e = Assert.Single(events.GetProperty("events").EnumerateArray());
        Assert.Equal("panel's MIDs", e.GetProperty("reason").GetString());
        Assert.Equal("admin", e.GetProperty("by").GetString());
    }

    [Fact]
    public async Task SignalRules_Should_BeChangedByName_AndARuleSwitchedOff_Should_NotFire()
    {
        const string review = "rules-set";
        var etag = await ReviewAsync(review);
        var path = $"/reviews/{review}/outcomes/response/signal-rules";
        var bad = await Client.Post(path, new
        {
            rules = new { loudness = new { enabled = true }, direction = new { value = 2 }, significance = new { value = 1.5 } },
            bands = new object[] { new { from = 50, to = 10, label = "odd" } },
            reason = "r",
        }, ifMatch: etag);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["bands[0].to", "rules.direction.value", "rules.loudness", "rules.significance.value"], (await bad.ErrorFields()).Order(StringComparer.Ordinal));

        var set = await Client.Post(path, new { rules = new { trialStatus = new { enabled = false }, relativeChange = new { value = 0.3 } }, reason = "the panel follows retractions itself" }, ifMatch: etag);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var rules = (await set.Json()).GetProperty("rules");
        Assert.False(rules.GetProperty("trialStatus").GetProperty("enabled").GetBoolean());
        Assert.Equal(0.3, rules.GetProperty("relativeChange").GetProperty("value").GetDouble());
        await pipeline.WaitForVersionsAsync(review, "response", 5);

        var trial = await Client.GetAsync($"/reviews/{review}/trials/zhang2022-ra-rct");
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/zhang2022-ra-rct/retraction",
            new { reason = "retracted by the journal" }, ifMatch: trial.Headers.ETag!.Tag)).StatusCode);
        await pipeline.WaitForVersionsAsync(review, "response", 6);
        var latest = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/6")).Json();
        Assert.DoesNotContain(latest.GetProperty("signals").EnumerateArray(), s => s.GetProperty("kind").GetString() == "trialStatus");
    }
}
