using System.Net;
using System.Text.Json;
using Evidence.IntegrationTests.Api;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// An outcome's trial sequential analysis parameters are an event that gives a new version; from then
/// on every version the worker writes carries the sequential section of its data, and a rebuild
/// recomputes the same sections.
/// </summary>
public sealed class SequentialTests(SnapshotPipeline<SequentialTests> pipeline) : IClassFixture<SnapshotPipeline<SequentialTests>>
{
    private HttpClient Client => pipeline.Client;

    private static readonly (string Id, int Year, int Ai, int Bi, int Ci, int Di)[] Trials =
    [
        ("he2020-sle-rct", 2020, 16, 13, 9, 21), ("he2022-pss-rct", 2022, 20, 10, 8, 22),
        ("zhang2022-ra-rct", 2022, 12, 5, 10, 13), ("lupil2-2022", 2022, 20, 4, 15, 14),
    ];

    private static readonly object Good = new
    {
        alpha = 0.05, beta = 0.2, controlRisk = "POOLED", relativeRiskReduction = 0.25, heterogeneity = "d2", spending = "obf", reason = "TSA as a sensitivity layer",
    };

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

    private async Task<JsonElement> VersionAsync(string review, long version) =>
        await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/{version}")).Json();

    private static long[] LookVersions(JsonElement snapshot) =>
        [.. snapshot.GetProperty("sequential").GetProperty("looks").EnumerateArray().Select(l => l.GetProperty("version").GetInt64())];

    [Fact]
    public async Task SettingTheParameters_Should_NeedTheReviewsVersion_NameEachBadField_AndStoreNothingRefused()
    {
        const string review = "sequential-checked";
        await ReviewAsync(review);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/outcomes",
            new { id = "score", name = "Disease activity", dataType = "continuous", measure = "SMD", method = "REML" })).StatusCode);
        var etag = await ETagAsync(review);
        var path = $"/reviews/{review}/outcomes/response/sequential";

        Assert.Equal((HttpStatusCode)428, (await Client.Post(path, Good)).StatusCode);
        var stale = await Client.Post(path, Good, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(etag, stale.Headers.ETag!.Tag);

        var bad = await Client.Post(path, new
        {
            alpha = 0.7, beta = 1.0, controlRisk = 1.5, relativeRiskReduction = 0, meanDifference = 2, heterogeneity = "tau", spending = "linear",
        }, ifMatch: etag);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["alpha", "beta", "controlRisk", "heterogeneity", "meanDifference", "reason", "relativeRiskReduction", "spending"],
            (await bad.ErrorFields()).Order(StringComparer.Ordinal));
        var shapes = await Client.Post(path, new { alpha = "0.05", controlRisk = true, heterogeneity = false, reason = "r" }, ifMatch: etag);
        Assert.Equal(["alpha", "controlRisk", "heterogeneity"], (await shapes.ErrorFields()).Order(StringComparer.Ordinal));
        var pe = await Client.Post(path, new { alpha = 0.05, beta = 0.2, controlRisk = 0.8, relativeRiskReduction = -0.5, heterogeneity = 0.3, spending = "Pocock", reason = "r" },
            ifMatch: etag);
        Assert.Equal(["relativeRiskReduction"], await pe.ErrorFields());
        var smd = await Client.Post($"/reviews/{review}/outcomes/score/sequential", new { alpha = 0.05, beta = 0.2, meanDifference = 1, standardDeviation = 2, heterogeneity = "none", spending = "OBF", reason = "r" },
            ifMatch: etag);
        Assert.Equal(HttpStatusCode.BadRequest, smd.StatusCode);
        Assert.Contains("measure", await smd.ErrorFields());
        var clearNothing = await Client.Post(path, new { reason = "nothing to clear" }, ifMatch: etag);
        Assert.Equal(HttpStatusCode.BadRequest, clearNothing.StatusCode);

        var viewer = await Client.CreateKeyAsync("vera-sequential");
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/members", new { user = "vera-sequential", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.Post(path, Good, ifMatch: await ETagAsync(review), apiKey: viewer)).StatusCode);

        // Nothing was stored by any refused request: no parameters, no event, still four versions.
        var outcomes = await (await Client.GetAsync($"/reviews/{review}/outcomes")).Json();
        Assert.All(outcomes.EnumerateArray(), o => Assert.False(o.TryGetProperty("sequential", out var s) && s.ValueKind != JsonValueKind.Null));
        var events = await (await Client.GetAsync($"/reviews/{review}/events?type=OutcomeSequentialSet")).Json();
        Assert.Empty(events.GetProperty("events").EnumerateArray());
        Assert.Equal(4, (await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots")).Json()).GetArrayLength());
    }

    [Fact]
    public async Task EveryVersionAfterTheParameters_Should_CarryItsSection_AndARebuild_Should_FindThemIdentical()
    {
        const string review = "sequential-set";
        var etag = await ReviewAsync(review);
        var path = $"/reviews/{review}/outcomes/response/sequential";

        var set = await Client.Post(path, Good, ifMatch: etag);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var settings = (await set.Json()).GetProperty("sequential");
        Assert.True(settings.GetProperty("pooledControlRisk").GetBoolean());
        Assert.Equal("D2", settings.GetProperty("heterogeneity").GetString());
        Assert.Equal("OBF", settings.GetProperty("spending").GetString());

        await pipeline.WaitForVersionsAsync(review, "response", 5);
        var (v4, v5) = (await VersionAsync(review, 4), await VersionAsync(review, 5));
        Assert.False(v4.TryGetProperty("sequential", out var none) && none.ValueKind != JsonValueKind.Null);
        Assert.Equal("OutcomeSequentialSet", v5.GetProperty("cause").GetProperty("type").GetString());
        Assert.Equal(v4.GetProperty("summary").GetProperty("estimate").GetDouble(), v5.GetProperty("summary").GetProperty("estimate").GetDouble());
        // The four versions that recorded a trial were looks before the parameters were set.
        Assert.Equal([1L, 2, 3, 4], LookVersions(v5));
        var section = v5.GetProperty("sequential");
        Assert.Equal(Trials.Sum(t => t.Ai + t.Bi + t.Ci + t.Di), section.GetProperty("participants").GetDouble());
        Assert.Equal(Trials.Sum(t => t.Ci) / (double)Trials.Sum(t => t.Ci + t.Di), section.GetProperty("controlRisk").GetDouble(), 12);
        Assert.Equal(section.GetProperty("d2").GetDouble(), section.GetProperty("heterogeneityFraction").GetDouble());
        Assert.All(section.GetProperty("looks").EnumerateArray(), l => Assert.True(l.TryGetProperty("naturalEstimate", out _)));

        // An exclusion is a look with less information.
        var trial = await Client.GetAsync($"/reviews/{review}/trials/zhang2022-ra-rct");
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/zhang2022-ra-rct/exclusion",
            new { reason = "not randomised" }, ifMatch: trial.Headers.ETag!.Tag)).StatusCode);
        await pipeline.WaitForVersionsAsync(review, "response", 6);
        var v6 = await VersionAsync(review, 6);
        Assert.Equal([1L, 2, 3, 4, 6], LookVersions(v6));
        var looks = v6.GetProperty("sequential").GetProperty("looks");
        Assert.Equal(3, looks[4].GetProperty("k").GetInt32());
        Assert.Equal("none", looks[4].GetProperty("lookType").GetString());
        Assert.True(looks[4].GetProperty("t").GetDouble() < looks[3].GetProperty("t").GetDouble());

        // A measure the parameters do not fit is refused; another ratio restarts the looks.
        var peto = await Client.Post($"/reviews/{review}/outcomes/response/analysis", new { measure = "PETO", method = "PETO", test = "z", reason = "Peto" });
        Assert.Equal(HttpStatusCode.BadRequest, peto.StatusCode);
        Assert.Equal(["measure"], await peto.ErrorFields());
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/outcomes/response/analysis", new { measure = "OR", reason = "odds ratios" })).StatusCode);
        await pipeline.WaitForVersionsAsync(review, "response", 7);
        var v7 = await VersionAsync(review, 7);
        Assert.Equal([7L], LookVersions(v7));
        Assert.Contains("restart", v7.GetProperty("sequential").GetProperty("note").GetString());

        // Cleared as they were set: an event with its reason, and the next version has no section.
        var cleared = await Client.Post(path, new { reason = "the panel dropped TSA" }, ifMatch: await ETagAsync(review));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.False((await cleared.Json()).TryGetProperty("sequential", out var gone) && gone.ValueKind != JsonValueKind.Null);
        await pipeline.WaitForVersionsAsync(review, "response", 8);
        var v8 = await VersionAsync(review, 8);
        Assert.False(v8.TryGetProperty("sequential", out var after) && after.ValueKind != JsonValueKind.Null);

        var rebuild = await (await Client.GetAsync($"/reviews/{review}/rebuild")).Json();
        Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());
        Assert.Equal(8, rebuild.GetProperty("versionsChecked").GetInt32());
        var events = await (await Client.GetAsync($"/reviews/{review}/events?type=OutcomeSequentialSet")).Json();
        Assert.Equal(2, events.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task CrossingAndReachingTheRis_Should_BeSignals_OfTheWorkersVersions()
    {
        const string review = "sequential-signals";
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id = review, title = "TSA", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "DL" })).StatusCode);
        var set = await Client.Post($"/reviews/{review}/outcomes/response/sequential", new
        {
            alpha = 0.05, beta = 0.2, controlRisk = 0.3, relativeRiskReduction = 0.25, heterogeneity = "none", spending = "OBF", reason = "plan",
        }, ifMatch: await ETagAsync(review));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        // One risk ratio (2/3) in trials of 300, 400 and 500 participants: the RIS is 1080.5.
        foreach (var (id, scale) in new[] { ("t1", 1), ("t2", 4), ("t3", 5) })
        {
            var n = scale == 1 ? 150 : scale * 50;
            var body = new { id, year = 2020, source = id, data = new { response = new { ai = n / 5, bi = n - n / 5, ci = n * 3 / 10, di = n - n * 3 / 10 } } };
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", body)).StatusCode);
        }
        var list = await pipeline.WaitForVersionsAsync(review, "response", 3);

        string[] Kinds(int i) => [.. list[i].GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("kind").GetString()!)
            .Where(k => k is "sequentialBoundary" or "informationSize")];
        Assert.Empty(Kinds(0));
        Assert.Equal(["sequentialBoundary"], Kinds(1));
        Assert.Equal(["informationSize"], Kinds(2));
        var last = await VersionAsync(review, 3);
        Assert.True(last.GetProperty("sequential").GetProperty("risReached").GetBoolean());
        Assert.Equal("final", last.GetProperty("sequential").GetProperty("looks")[2].GetProperty("lookType").GetString());
    }
}
