using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Evidence.IntegrationTests.Api;
using Npgsql;

namespace Evidence.IntegrationTests.Hostile;

/// <summary>The API host of the class, with the review every hostile request aims at, made once.</summary>
public sealed class HostileApi : IAsyncLifetime
{
    public ApiHost<HostileInputTests> Host { get; } = new();

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync()
    {
        await Host.InitializeAsync();
        await ReviewApiTests.CreateReviewAsync(Client, HostileRequests.Review);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{HostileRequests.Review}/trials", ReviewApiTests.Trial("he2020"))).StatusCode);
    }

    public Task DisposeAsync() => Host.DisposeAsync();

    /// <summary>
    /// The review's events as its audit log lists them, and every event of the schema, counted in
    /// SQL: a hostile request that created another review would show only there.
    /// </summary>
    public async Task<(int Review, long Schema)> EventCountsAsync(string review = HostileRequests.Review)
    {
        var log = await (await Client.GetAsync($"/reviews/{review}/events?limit=1000")).Json();
        await using var connection = new NpgsqlConnection(Host.Scope.Postgres);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from {Host.Scope.Schema}.mt_events", connection);
        return (log.GetProperty("events").GetArrayLength(), (long)(await count.ExecuteScalarAsync())!);
    }
}

/// <summary>Malformed and hostile requests: each gets a 4xx ProblemDetails, never a 5xx, and stores nothing.</summary>
public sealed class HostileInputTests(HostileApi api) : IClassFixture<HostileApi>
{
    private HttpClient Client => api.Client;

    /// <summary>Names only, so each row is its own test case in the runner.</summary>
    public static TheoryData<string> Cases => new(HostileRequests.All.Select(r => r.Name));

    [Fact]
    public void Cases_Should_HaveUniqueNames() =>
        Assert.Empty(HostileRequests.All.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileRequest_Should_Get4xxProblemDetails_AndStoreNothing(string name)
    {
        var hostile = HostileRequests.All.Single(r => r.Name == name);
        var before = await api.EventCountsAsync();

        using var request = hostile.ToMessage();
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == hostile.Status, $"{name}: expected {hostile.Status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(hostile.Status, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(before, await api.EventCountsAsync());
    }

    [Fact]
    public async Task InjectionText_Should_BeStoredVerbatim_AndBreakNothing()
    {
        const string drop = "'; drop table mt_events; --";
        const string always = "1 OR 1=1";
        const string json = "\"},{\"id\":\"x\",\"year\":1800,\"a\":{\"$ne\":null}}";
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id = "injection", title = drop, question = json, protocol = always })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews/injection/outcomes",
            new { id = "fever", name = drop, dataType = "proportion", measure = "PLO", method = "DL", subgroup = "x-or-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews/injection/trials", new
        {
            id = "t1",
            year = 2020,
            source = json,
            registryId = always,
            attributes = new Dictionary<string, string> { ["x-or-1"] = always, ["note"] = drop, ["json"] = json },
            data = new { fever = new { xi = 3, ni = 40 } },
        })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Post("/reviews/injection/trials/t1/exclusion", new { reason = drop }, ifMatch: "\"1\"")).StatusCode);

        var review = await (await Client.GetAsync("/reviews/injection")).Json();
        var trial = await (await Client.GetAsync("/reviews/injection/trials/t1")).Json();
        var excluded = await (await Client.GetAsync("/reviews/injection/events?type=TrialExcluded")).Json();

        Assert.Equal(new[] { drop, json, always }, new[] { "title", "question", "protocol" }.Select(p => review.GetProperty(p).GetString()));
        Assert.Equal(drop, review.GetProperty("outcomes")[0].GetProperty("name").GetString());
        Assert.Equal(json, trial.GetProperty("source").GetString());
        Assert.Equal(always, trial.GetProperty("registryId").GetString());
        Assert.Equal(new[] { always, drop, json }, new[] { "x-or-1", "note", "json" }.Select(a => trial.GetProperty("attributes").GetProperty(a).GetString()));
        Assert.Equal(drop, trial.GetProperty("statusReason").GetString());
        Assert.Equal(drop, excluded.GetProperty("events")[0].GetProperty("reason").GetString());
        Assert.Equal(4, (await api.EventCountsAsync("injection")).Review);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/reviews/{HostileRequests.Review}/trials/he2020")).StatusCode);
    }

    [Fact]
    public async Task IdempotencyKey_Should_BelongToItsUser_AndRefuseAnotherBody()
    {
        await ReviewApiTests.CreateReviewAsync(Client, "idempotency");
        var alice = await Client.CreateKeyAsync("alice");
        var bob = await Client.CreateKeyAsync("bob");
        foreach (var user in new[] { "alice", "bob" })
            Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews/idempotency/members", new { user, role = "editor" })).StatusCode);
        var before = await api.EventCountsAsync("idempotency");
        const string key = "import/he2020";

        var first = await Client.Post("/reviews/idempotency/trials", ReviewApiTests.Trial("he2020"), key: key, apiKey: alice);
        var reusedWithAnotherBody = await Client.Post("/reviews/idempotency/trials", ReviewApiTests.Trial("he2020", ai: 17), key: key, apiKey: alice);
        var sameKeyAndBodyAsBob = await Client.Post("/reviews/idempotency/trials", ReviewApiTests.Trial("he2020"), key: key, apiKey: bob);
        var sameKeyOtherBodyAsBob = await Client.Post("/reviews/idempotency/trials", ReviewApiTests.Trial("zhang2022"), key: key, apiKey: bob);
        var history = await (await Client.GetAsync("/reviews/idempotency/trials/zhang2022/history")).Json();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reusedWithAnotherBody.StatusCode);
        Assert.Equal("application/problem+json", reusedWithAnotherBody.Content.Headers.ContentType?.MediaType);
        // Bob's request ran as his own: the trial exists, so a conflict rather than a replay of Alice's 201.
        Assert.Equal(HttpStatusCode.Conflict, sameKeyAndBodyAsBob.StatusCode);
        Assert.False(sameKeyAndBodyAsBob.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(HttpStatusCode.Created, sameKeyOtherBodyAsBob.StatusCode);
        Assert.Equal("bob", history[0].GetProperty("by").GetString());
        Assert.Equal(before.Review + 2, (await api.EventCountsAsync("idempotency")).Review);
    }

    [Fact]
    public async Task XUserHeader_Should_NotChangeWhoTheEventNames()
    {
        await ReviewApiTests.CreateReviewAsync(Client, "x-user");
        using var single = new HttpRequestMessage(HttpMethod.Post, "/reviews/x-user/trials") { Content = JsonContent.Create(ReviewApiTests.Trial("a-2020")) };
        single.Headers.Add("X-User", "mallory");
        using var repeated = new HttpRequestMessage(HttpMethod.Post, "/reviews/x-user/trials") { Content = JsonContent.Create(ReviewApiTests.Trial("b-2020")) };
        repeated.Headers.Add("X-User", ["mallory", "eve"]);

        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync(single)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync(repeated)).StatusCode);
        var recorded = await (await Client.GetAsync("/reviews/x-user/events?type=TrialRecorded")).Json();
        Assert.Equal(2, recorded.GetProperty("events").GetArrayLength());
        Assert.All(recorded.GetProperty("events").EnumerateArray(), e => Assert.Equal("admin", e.GetProperty("by").GetString()));
    }
}
