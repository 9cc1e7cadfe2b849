using System.Net;
using System.Text.Json;
using Evidence.IntegrationTests.Api;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// <c>changes?from=&amp;to=</c> through the API and the worker: the attribution replays the events
/// between the two versions, its contributions add up to the estimate's change, its last event is
/// the cause of <c>to</c>, and the influence lists the <c>to</c> version's trials.
/// </summary>
public sealed class AttributionTests(SnapshotPipeline<AttributionTests> pipeline) : IClassFixture<SnapshotPipeline<AttributionTests>>
{
    private HttpClient Client => pipeline.Client;

    private static object Trial(string id, int year, double? ai, double? xi = null)
    {
        var data = new Dictionary<string, object>();
        if (ai is { } a)
            data["response"] = new { ai = a, bi = 20 - a, ci = 6, di = 14 };
        if (xi is { } x)
            data["fever"] = new { xi = x, ni = 30 };
        return new { id, year, source = $"{id} et al.", attributes = new { disease = "SLE" }, data };
    }

    [Fact]
    public async Task Changes_Should_AttributeTheMoveToEachEvent_AddingUpToTheTotal_AndEndWithTheCauseOfTo()
    {
        const string review = "attribution";
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id = review, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/outcomes",
            new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "DL" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("a-2016", 2016, 12))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("b-2018", 2018, 15))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("f-2019", 2019, null, 4))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("c-2020", 2020, 5, 9))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/a-2016/corrections",
            new { data = new { response = new { ai = 17 } }, reason = "intention to treat" }, ifMatch: "1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/outcomes/fever/analysis", new { method = "REML", reason = "protocol v2" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("d-2021", 2021, 9))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/b-2018/exclusion", new { reason = "not randomised" }, ifMatch: "1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/outcomes/response/analysis", new { method = "DL", reason = "protocol v3" })).StatusCode);
        var versions = await pipeline.WaitForVersionsAsync(review, "response", 7);
        var last = versions[versions.GetArrayLength() - 1];

        var changes = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/changes?from=1&to=7")).Json();

        var diff = changes.GetProperty("diff");
        var attribution = changes.GetProperty("attribution");
        var events = attribution.GetProperty("events").EnumerateArray().ToList();
        var total = diff.GetProperty("estimate").GetProperty("to").GetDouble() - diff.GetProperty("estimate").GetProperty("from").GetDouble();
        Assert.True(attribution.GetProperty("matchesStored").GetBoolean());
        Assert.Equal(total, attribution.GetProperty("total").GetProperty("estimate").GetDouble(), 1e-12);
        Assert.Equal(total, events.Sum(e => e.GetProperty("contribution").GetProperty("estimate").GetDouble()), 1e-12);
        Assert.Equal(attribution.GetProperty("total").GetProperty("tau2").GetDouble(), events.Sum(e => e.GetProperty("contribution").GetProperty("tau2").GetDouble()), 1e-12);
        Assert.Equal(last.GetProperty("cause").GetProperty("eventId").GetGuid(), events[^1].GetProperty("cause").GetProperty("eventId").GetGuid());
        Assert.Equal([2L, 3L, 4L, 5L, 6L, 7L], events.Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal(["TrialRecorded", "TrialRecorded", "TrialCorrected", "TrialRecorded", "TrialExcluded", "OutcomeAnalysisChanged"],
            events.Select(e => e.GetProperty("cause").GetProperty("type").GetString()));
        Assert.Equal("intention to treat", events[2].GetProperty("cause").GetProperty("reason").GetString());
        Assert.Equal(8, attribution.GetProperty("eventsBetween").GetInt32());
        Assert.Equal(2, attribution.GetProperty("eventsWithoutChange").GetInt32());
        Assert.Equal(changes.GetProperty("events").GetArrayLength(), attribution.GetProperty("eventsBetween").GetInt32());

        var estimate = last.GetProperty("summary").GetProperty("estimate").GetDouble();
        var influence = changes.GetProperty("influence").EnumerateArray().ToList();
        Assert.Equal(["a-2016", "c-2020", "d-2021"], influence.Select(i => i.GetProperty("trialId").GetString()).Order(StringComparer.Ordinal));
        Assert.All(influence, i => Assert.Equal(i.GetProperty("estimate").GetDouble() - estimate, i.GetProperty("shift").GetDouble(), 1e-12));
        var shifts = influence.Select(i => Math.Abs(i.GetProperty("shift").GetDouble())).ToList();
        Assert.Equal(shifts.OrderDescending(), shifts);
    }

    [Fact]
    public async Task Changes_Should_LeaveTheAttributionOut_WhenMoreVersionsThanTheLimitLieBetween()
    {
        const string review = "long-history";
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id = review, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("a-2016", 2016, 12))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial("b-2018", 2018, 15))).StatusCode);
        const int corrections = Domain.Snapshots.ChangeAttribution.MaxVersions;
        for (var n = 1; n <= corrections; n++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/a-2016/corrections",
                new { data = new { response = new { ai = 10 + n % 2 } }, reason = "re-extracted" }, ifMatch: $"{n}")).StatusCode);
        }
        await pipeline.WaitForVersionsAsync(review, "response", corrections + 2, TimeSpan.FromSeconds(120));

        var longest = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/changes?from=2&to={corrections + 2}")).Json();
        var tooLong = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/changes?from=1&to={corrections + 2}")).Json();

        Assert.Equal(corrections, longest.GetProperty("attribution").GetProperty("events").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, tooLong.GetProperty("attribution").ValueKind);
        Assert.Contains("1,001 versions", tooLong.GetProperty("attributionOmitted").GetString());
        Assert.Equal(corrections + 1, tooLong.GetProperty("events").GetArrayLength());
        Assert.Equal(2, tooLong.GetProperty("influence").GetArrayLength());
    }
}
