using System.Net;

namespace Evidence.IntegrationTests.Api;

/// <summary>Every route of the review API through the real Program on real PostgreSQL.</summary>
public sealed class ReviewApiTests(ApiHost<ReviewApiTests> host) : IClassFixture<ApiHost<ReviewApiTests>>
{
    private HttpClient Client => host.Client;

    internal static async Task<string> CreateReviewAsync(HttpClient client, string id)
    {
        Assert.Equal(HttpStatusCode.Created, (await client.Post("/reviews", new { id, title = "LD-IL-2", question = "Does LD-IL-2 help?", protocol = "CRD42022" })).StatusCode);
        foreach (var outcome in new object[]
        {
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML", test = "knha", subgroup = "disease" },
            new { id = "treg", name = "Treg", dataType = "prepost", measure = "SMCR", method = "REML" },
            new { id = "injection-site", name = "Injection site", dataType = "proportion", measure = "PLO", method = "DL" },
        })
            Assert.Equal(HttpStatusCode.Created, (await client.Post($"/reviews/{id}/outcomes", outcome)).StatusCode);
        return id;
    }

    internal static object Trial(string id, int year = 2020, string disease = "SLE", double ai = 16) => new
    {
        id,
        year,
        source = "He J et al. 2020",
        attributes = new { disease },
        data = new Dictionary<string, object>
        {
            ["response"] = new { ai, bi = 13, ci = 9, di = 21 },
            ["injection-site"] = new { xi = 9, ni = 29 },
        },
    };

    private async Task<int> EventCountAsync(string review) =>
        (await (await Client.GetAsync($"/reviews/{review}/events?limit=1000")).Json()).GetProperty("events").GetArrayLength();

    [Fact]
    public async Task Review_Should_BeCreated_Read_AndRefusedTwice()
    {
        await CreateReviewAsync(Client, "review-crud");

        var review = await (await Client.GetAsync("/reviews/review-crud")).Json();
        var outcomes = await (await Client.GetAsync("/reviews/review-crud/outcomes")).Json();
        var again = await Client.Post("/reviews", new { id = "review-crud", title = "t", question = "q" });

        Assert.Equal("CRD42022", review.GetProperty("protocol").GetString());
        Assert.Equal(4, review.GetProperty("version").GetInt64());
        Assert.Equal(["injection-site", "response", "treg"], outcomes.EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/reviews/nobody-here")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/reviews/NOT%20A%20SLUG")).StatusCode);
    }

    [Fact]
    public async Task Outcome_Should_RejectSettingsThatDoNotSuitItsData_And_ChangeWithAReason()
    {
        await CreateReviewAsync(Client, "review-outcomes");

        var wrongMeasure = await Client.Post("/reviews/review-outcomes/outcomes", new { id = "das28", name = "DAS28", dataType = "prepost", measure = "OR", method = "MH" });
        var duplicate = await Client.Post("/reviews/review-outcomes/outcomes", new { id = "treg", name = "Treg", dataType = "prepost", measure = "SMCR", method = "REML" });
        var unknownReview = await Client.Post("/reviews/nobody/outcomes", new { id = "treg", name = "Treg", dataType = "prepost", measure = "SMCR", method = "REML" });
        var noReason = await Client.Post("/reviews/review-outcomes/outcomes/treg/analysis", new { method = "DL" });
        var changed = await Client.Post("/reviews/review-outcomes/outcomes/treg/analysis", new { method = "DL", test = "knha", reason = "protocol amendment 2" });
        var unknownOutcome = await Client.Post("/reviews/review-outcomes/outcomes/das28/analysis", new { method = "DL", reason = "r" });

        Assert.Equal(HttpStatusCode.BadRequest, wrongMeasure.StatusCode);
        Assert.Equal(["measure", "method"], (await wrongMeasure.ErrorFields()).Order());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownReview.StatusCode);
        Assert.Equal(["reason"], await noReason.ErrorFields());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("knha", (await changed.Json()).GetProperty("test").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknownOutcome.StatusCode);
    }

    public static TheoryData<string, string> BadTrials => new()
    {
        { """{"id":"t1","year":2020,"source":"s","data":{"response":{"ai":-1,"bi":13,"ci":9,"di":21}}}""", "data.response.ai" },
        { """{"id":"t1","year":2020,"source":"s","data":{"injection-site":{"xi":30,"ni":29}}}""", "data.injection-site.xi" },
        { """{"id":"t1","year":2020,"source":"s","data":{"treg":{"m_pre":1,"sd_pre":0,"m_post":2,"sd_post":1,"ni":10,"ri":0.5}}}""", "data.treg.sd_pre" },
        { """{"id":"t1","year":2020,"source":"s","data":{"treg":{"m_pre":1,"sd_pre":1,"m_post":2,"sd_post":1,"ni":1,"ri":0.5}}}""", "data.treg.ni" },
        { """{"id":"t1","year":2020,"source":"s","data":{"treg":{"m_pre":1,"sd_pre":1,"m_post":2,"sd_post":1,"ni":10,"ri":1.5}}}""", "data.treg.ri" },
        { """{"id":"t1","year":2020,"source":"s","data":{"response":{"xi":1,"ni":2}}}""", "data.response.xi" },
        { """{"id":"t1","year":2020,"source":"s","data":{"response":{"ai":"NaN","bi":13,"ci":9,"di":21}}}""", "data.response.ai" },
        { """{"id":"t1","year":2020,"source":"s","data":{"response":{"ai":1e400,"bi":13,"ci":9,"di":21}}}""", "data.response.ai" },
        { """{"id":"t1","year":2020,"source":"s","data":{"das28":{"m_pre":1}}}""", "data.das28" },
        { """{"id":"t1","year":1850,"source":"s","data":{}}""", "year" },
        { """{"id":"t1","year":"2020","source":"s","data":{}}""", "year" },
        { """{"id":"Trial One","year":2020,"source":"s","data":{}}""", "id" },
        { """{"id":"../etc","year":2020,"source":"s","data":{}}""", "id" },
        { """{"id":"t1","year":2020,"data":{}}""", "source" },
        { """{"id":"t1","year":2020,"source":"s","registryId":"REPLACE","data":{}}""", "registryId" },
        { """{"id":"t1","year":2020,"source":"s","data":{},"colour":"red"}""", "colour" },
        { """{"id":"t1","year":2020,"source":"s","attributes":{"disease":["SLE"]},"data":{}}""", "attributes.disease" },
        { """[1,2,3]""", "$" },
        { """{"id":"t1",""", "$" },
    };

    [Theory]
    [MemberData(nameof(BadTrials))]
    public async Task Trial_Should_Answer400NamingTheField_AndStoreNothing(string body, string field)
    {
        var review = $"review-bad-{Math.Abs(body.GetHashCode(StringComparison.Ordinal)) % 100000}";
        await CreateReviewAsync(Client, review);
        var before = await EventCountAsync(review);

        var response = await Client.Send($"/reviews/{review}/trials", body.Replace("REPLACE", new string('x', 300), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.ErrorFields());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await EventCountAsync(review));
    }

    [Fact]
    public async Task Trial_Should_Answer413_ForAnOversizeBody()
    {
        await CreateReviewAsync(Client, "review-oversize");

        var response = await Client.Post("/reviews/review-oversize/trials", new { id = "t1", year = 2020, source = new string('x', 300_000) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Trial_Should_BeRecorded_Corrected_WithIfMatch_AndShowItsHistory()
    {
        var review = await CreateReviewAsync(Client, "review-trials");

        var alice = await Client.CreateKeyAsync("alice");
        var bob = await Client.CreateKeyAsync("bob");
        await Client.Post($"/reviews/{review}/members", new { user = "alice", role = "editor" });
        await Client.Post($"/reviews/{review}/members", new { user = "bob", role = "editor" });
        var recorded = await Client.Post($"/reviews/{review}/trials", Trial("lupil2-2022", 2022, ai: 20), apiKey: alice);
        var duplicate = await Client.Post($"/reviews/{review}/trials", Trial("lupil2-2022", 2022, ai: 20));
        var get = await Client.GetAsync($"/reviews/{review}/trials/lupil2-2022");
        var correction = new { data = new { response = new { ai = 34, bi = 16 } }, attributes = new { dose = "1 MIU" }, reason = "ITT counts", source = "Humrich 2022" };
        var missingIfMatch = await Client.Post($"/reviews/{review}/trials/lupil2-2022/corrections", correction);
        var noReason = await Client.Post($"/reviews/{review}/trials/lupil2-2022/corrections", new { data = new { response = new { ai = 34 } } }, ifMatch: "\"1\"");
        var corrected = await Client.Post($"/reviews/{review}/trials/lupil2-2022/corrections", correction, ifMatch: "\"1\"", apiKey: bob);
        var stale = await Client.Post($"/reviews/{review}/trials/lupil2-2022/corrections", correction, ifMatch: "\"1\"");
        var history = await (await Client.GetAsync($"/reviews/{review}/trials/lupil2-2022/history")).Json();
        var trials = await (await Client.GetAsync($"/reviews/{review}/trials")).Json();

        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        Assert.Equal("\"1\"", recorded.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("\"1\"", get.Headers.ETag?.Tag);
        Assert.Equal((HttpStatusCode)428, missingIfMatch.StatusCode);
        Assert.Equal(["reason"], await noReason.ErrorFields());
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal("\"2\"", corrected.Headers.ETag?.Tag);
        Assert.Equal(34, (await corrected.Json()).GetProperty("data").GetProperty("response").GetProperty("ai").GetDouble());
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(2, (await stale.Json()).GetProperty("currentVersion").GetInt64());
        Assert.Equal("\"2\"", stale.Headers.ETag?.Tag);
        Assert.Equal(2, history.GetArrayLength());
        var correctedEvent = history[1];
        Assert.Equal("TrialCorrected", correctedEvent.GetProperty("type").GetString());
        Assert.Equal("bob", correctedEvent.GetProperty("by").GetString());
        Assert.Equal("ITT counts", correctedEvent.GetProperty("reason").GetString());
        Assert.Contains(correctedEvent.GetProperty("changes").EnumerateArray(), c =>
            c.GetProperty("field").GetString() == "data.response.ai" && c.GetProperty("old").GetDouble() == 20 && c.GetProperty("new").GetDouble() == 34);
        Assert.Equal("alice", history[0].GetProperty("by").GetString());
        Assert.Single(trials.EnumerateArray());
    }

    [Fact]
    public async Task Trial_Should_BeExcluded_Reinstated_AndRetracted_InTurn()
    {
        var review = await CreateReviewAsync(Client, "review-status");
        await Client.Post($"/reviews/{review}/trials", Trial("he2020"));

        var noReason = await Client.Post($"/reviews/{review}/trials/he2020/exclusion", new { reason = "" }, ifMatch: "1");
        var excluded = await Client.Post($"/reviews/{review}/trials/he2020/exclusion", new { reason = "not randomised" }, ifMatch: "1");
        var excludedAgain = await Client.Post($"/reviews/{review}/trials/he2020/exclusion", new { reason = "again" }, ifMatch: "2");
        var reinstated = await Client.Post($"/reviews/{review}/trials/he2020/reinstatement", new { reason = "randomised after all" }, ifMatch: "W/\"2\"");
        var retracted = await Client.Post($"/reviews/{review}/trials/he2020/retraction", new { reason = "fabricated data", notice = "Ann Rheum Dis 2024 retraction" }, ifMatch: "3");
        var unknown = await Client.Post($"/reviews/{review}/trials/nobody/exclusion", new { reason = "r" }, ifMatch: "1");
        var trial = await (await Client.GetAsync($"/reviews/{review}/trials/he2020")).Json();

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("excluded", (await excluded.Json()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, excludedAgain.StatusCode);
        Assert.Equal("included", (await reinstated.Json()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, retracted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("retracted", trial.GetProperty("status").GetString());
        Assert.Equal("Ann Rheum Dis 2024 retraction", trial.GetProperty("retractionNotice").GetString());
        Assert.Equal(4, trial.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Post_Should_ReplayTheFirstAnswer_ForTheSameIdempotencyKey()
    {
        var review = await CreateReviewAsync(Client, "review-idempotent");
        var before = await EventCountAsync(review);

        var first = await Client.Post($"/reviews/{review}/trials", Trial("he2020"), key: "import-he2020");
        var retry = await Client.Post($"/reviews/{review}/trials", Trial("he2020"), key: "import-he2020");
        var otherBody = await Client.Post($"/reviews/{review}/trials", Trial("he2020", ai: 17), key: "import-he2020");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.True(retry.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal(before + 1, await EventCountAsync(review));
    }

    [Fact]
    public async Task AuditLog_Should_PageAndFilter_TheReviewsEvents()
    {
        var review = await CreateReviewAsync(Client, "review-audit");
        await Client.Post($"/reviews/{review}/trials", Trial("a-2019", 2019));
        await Client.Post($"/reviews/{review}/trials", Trial("b-2021", 2021));
        await Client.Post($"/reviews/{review}/trials/a-2019/exclusion", new { reason = "duplicate cohort" }, ifMatch: "1");

        var first = await (await Client.GetAsync($"/reviews/{review}/events?limit=3")).Json();
        var next = first.GetProperty("next").GetInt64();
        var rest = await (await Client.GetAsync($"/reviews/{review}/events?after={next}&limit=10")).Json();
        var recorded = await (await Client.GetAsync($"/reviews/{review}/events?type=TrialRecorded")).Json();
        var ofTrial = await (await Client.GetAsync($"/reviews/{review}/events?trial=a-2019")).Json();
        var badType = await Client.GetAsync($"/reviews/{review}/events?type=Nonsense&limit=0");

        Assert.Equal(3, first.GetProperty("events").GetArrayLength());
        Assert.Equal(4, rest.GetProperty("events").GetArrayLength());
        Assert.False(rest.TryGetProperty("next", out _));
        Assert.Equal(2, recorded.GetProperty("events").GetArrayLength());
        Assert.Equal(["TrialRecorded", "TrialExcluded"], ofTrial.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["limit", "type"], (await badType.ErrorFields()).Order());
    }
}
