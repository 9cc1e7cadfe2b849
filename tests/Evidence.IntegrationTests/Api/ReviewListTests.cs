using System.Net;
using System.Text.Json;
using Evidence.IntegrationTests.Snapshots;

namespace Evidence.IntegrationTests.Api;

/// <summary><c>GET /reviews</c>: the reviews a caller can see and no other, paged, each outcome with its newest estimate.</summary>
public sealed class ReviewListTests(SnapshotPipeline<ReviewListTests> pipeline) : IClassFixture<SnapshotPipeline<ReviewListTests>>
{
    private HttpClient Client => pipeline.Client;

    /// <summary>A review created by the holder of <paramref name="key"/> (the server assigns its id), public or not.</summary>
    private async Task<string> ReviewAsync(string key, string title, bool isPublic = false)
    {
        var created = await Client.Post("/reviews", new { title, question = $"{title}?" }, apiKey: key);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Json()).GetProperty("id").GetString()!;
        if (isPublic)
            Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{id}/visibility", new { @public = true, reason = "published" }, apiKey: key)).StatusCode);
        return id;
    }

    /// <summary>Every page of the list as <paramref name="client"/> sees it, following <c>next</c>.</summary>
    private static async Task<(List<JsonElement> Items, List<JsonElement> Pages)> WalkAsync(HttpClient client, int limit = 200)
    {
        var items = new List<JsonElement>();
        var pages = new List<JsonElement>();
        string? after = null;
        do
        {
            var response = await client.GetAsync($"/reviews?limit={limit}" + (after is null ? "" : $"&after={after}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Json();
            pages.Add(page);
            items.AddRange(page.GetProperty("reviews").EnumerateArray());
            after = page.GetProperty("next").GetString();
            Assert.True(pages.Count < 1000, "the pages never end");
        }
        while (after is not null);
        return (items, pages);
    }

    private static List<string> Ids(IEnumerable<JsonElement> items) => items.Select(i => i.GetProperty("id").GetString()!).ToList();

    [Fact]
    public async Task List_Should_ShowEachCallerTheReviewsTheyMaySee_WithTheirRole()
    {
        var owner = await Client.CreateKeyAsync("list-owner");
        var member = await Client.CreateKeyAsync("list-member");
        var stranger = await Client.CreateKeyAsync("list-stranger");
        var hidden = await ReviewAsync(owner, "Hidden");
        var shared = await ReviewAsync(owner, "Shared");
        var published = await ReviewAsync(owner, "Published", isPublic: true);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{shared}/members", new { user = "list-member", role = "editor" }, apiKey: owner)).StatusCode);
        using var anonymous = pipeline.ClientFor(null);
        using var owners = pipeline.ClientFor(owner);
        using var members = pipeline.ClientFor(member);
        using var strangers = pipeline.ClientFor(stranger);

        var byOwner = (await WalkAsync(owners)).Items;
        var byMember = (await WalkAsync(members)).Items;
        var (byStranger, strangerPages) = await WalkAsync(strangers, limit: 1);
        var byAnonymous = (await WalkAsync(anonymous)).Items;
        var byAdministrator = (await WalkAsync(Client)).Items;

        Assert.Superset(new HashSet<string> { hidden, shared, published }, Ids(byOwner).ToHashSet());
        Assert.All(byOwner.Where(i => Ids([i])[0] is var id && (id == hidden || id == shared || id == published)),
            i => Assert.Equal("owner", i.GetProperty("role").GetString()));
        Assert.Contains(shared, Ids(byMember));
        Assert.Equal("editor", byMember.Single(i => i.GetProperty("id").GetString() == shared).GetProperty("role").GetString());
        Assert.DoesNotContain(hidden, Ids(byMember));

        // A stranger sees only public reviews, as a reader without a key does: the private ones are not listed, nor counted.
        foreach (var items in new[] { byStranger, byAnonymous })
        {
            Assert.DoesNotContain(hidden, Ids(items));
            Assert.DoesNotContain(shared, Ids(items));
            Assert.Contains(published, Ids(items));
            Assert.All(items, i => Assert.True(i.GetProperty("isPublic").GetBoolean()));
            Assert.All(items, i => Assert.Equal(JsonValueKind.Null, i.GetProperty("role").ValueKind));
        }
        Assert.All(strangerPages, p => Assert.Equal(["reviews", "next"], p.EnumerateObject().Select(o => o.Name)));
        Assert.Equal(byStranger.Count, strangerPages.Count(p => p.GetProperty("reviews").GetArrayLength() == 1));
        Assert.Equal(Ids(byAnonymous), Ids(byStranger));

        Assert.Superset(new HashSet<string> { hidden, shared, published }, Ids(byAdministrator).ToHashSet());
        Assert.All(byAdministrator.Where(i => Ids([i])[0] is var id && (id == hidden || id == shared || id == published)),
            i => Assert.Equal(JsonValueKind.Null, i.GetProperty("role").ValueKind));
        var item = byOwner.Single(i => i.GetProperty("id").GetString() == published);
        Assert.Equal("Published", item.GetProperty("title").GetString());
        Assert.Equal("Published?", item.GetProperty("question").GetString());
    }

    [Fact]
    public async Task List_Should_PageInIdOrder_WithoutGapsOrRepeats()
    {
        var pager = await Client.CreateKeyAsync("list-pager");
        var mine = new List<string>();
        for (var i = 0; i < 5; i++)
            mine.Add(await ReviewAsync(pager, $"Paged {i}"));
        using var client = pipeline.ClientFor(pager);

        var (paged, pages) = await WalkAsync(client, limit: 2);
        var whole = await (await client.GetAsync("/reviews")).Json();

        var ids = Ids(paged);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Superset(mine.ToHashSet(), ids.ToHashSet());
        Assert.Equal(Ids(whole.GetProperty("reviews").EnumerateArray()), ids);
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("next").ValueKind);
        Assert.All(pages, p => Assert.InRange(p.GetProperty("reviews").GetArrayLength(), 1, 2));
        Assert.Equal((ids.Count + 1) / 2, pages.Count);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(Ids(p.GetProperty("reviews").EnumerateArray())[^1], p.GetProperty("next").GetString()));
    }

    [Fact]
    public async Task List_Should_GiveEachOutcomesLatestEstimate_AsSnapshotsLatestDoes()
    {
        var owner = await Client.CreateKeyAsync("list-analyst");
        var review = await ReviewAsync(owner, "Estimates");
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML" }, apiKey: owner)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/outcomes",
            new { id = "treg", name = "Treg", dataType = "prepost", measure = "SMCR", method = "REML" }, apiKey: owner)).StatusCode);
        foreach (var (id, ai) in new[] { ("a-2016", 12.0), ("b-2019", 15.0), ("c-2021", 9.0) })
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", new
            {
                id,
                year = 2020,
                source = $"{id} et al.",
                data = new Dictionary<string, object> { ["response"] = new { ai, bi = 20 - ai, ci = 6, di = 14 } },
            }, apiKey: owner)).StatusCode);
        await pipeline.WaitForVersionsAsync(review, "response", 3);
        var latest = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/latest")).Json();

        using var owners = pipeline.ClientFor(owner);
        var items = (await WalkAsync(owners)).Items;
        var item = items.Single(i => i.GetProperty("id").GetString() == review);
        var outcomes = item.GetProperty("outcomes").EnumerateArray().ToList();

        Assert.Equal(["response", "treg"], outcomes.Select(o => o.GetProperty("id").GetString()));
        var treg = outcomes[1];
        Assert.Equal(("Treg", "prepost", "SMCR"), (treg.GetProperty("name").GetString(), treg.GetProperty("dataType").GetString(), treg.GetProperty("measure").GetString()));
        Assert.Equal(JsonValueKind.Null, treg.GetProperty("latest").ValueKind);
        var response = outcomes[0];
        Assert.Equal("RR", response.GetProperty("measure").GetString());
        var estimate = response.GetProperty("latest");
        var summary = latest.GetProperty("summary");
        Assert.Equal(latest.GetProperty("version").GetInt64(), estimate.GetProperty("version").GetInt64());
        Assert.Equal(3, estimate.GetProperty("k").GetInt32());
        Assert.True(estimate.GetProperty("estimable").GetBoolean());
        foreach (var (listed, stored) in new[]
        {
            ("estimate", "estimate"), ("ciLower", "ciLower"), ("ciUpper", "ciUpper"), ("tau2", "tau2"), ("i2", "i2"),
            ("naturalEstimate", "naturalEstimate"), ("naturalCiLower", "naturalCiLower"), ("naturalCiUpper", "naturalCiUpper"),
        })
            Assert.Equal(summary.GetProperty(stored).GetDouble(), estimate.GetProperty(listed).GetDouble());
        Assert.Equal(Math.Exp(summary.GetProperty("estimate").GetDouble()), estimate.GetProperty("naturalEstimate").GetDouble(), 12);
    }

    [Fact]
    public async Task List_Should_RefuseBadPaging_AndARefusedKey()
    {
        foreach (var query in new[] { "limit=0", "limit=201", "limit=x" })
            Assert.Equal(["limit"], await (await Client.GetAsync($"/reviews?{query}")).ErrorFields());
        foreach (var query in new[] { "after=Not%20An%20Id", "after=%27%20or%201%3D1" })
            Assert.Equal(["after"], await (await Client.GetAsync($"/reviews?{query}")).ErrorFields());
        using var refused = pipeline.ClientFor("ev_made-up");
        Assert.Equal(HttpStatusCode.Unauthorized, (await refused.GetAsync("/reviews")).StatusCode);
    }
}
