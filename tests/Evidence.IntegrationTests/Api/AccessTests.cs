using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Evidence.IntegrationTests.Api;

/// <summary>API keys, per-review roles, public reviews and rate limits, through the real Program.</summary>
public sealed class AccessTests(ApiHost<AccessTests> host) : IClassFixture<ApiHost<AccessTests>>
{
    private HttpClient Client => host.Client;

    private static readonly string[] ReadRoutes =
    [
        "/reviews/{0}", "/reviews/{0}/outcomes", "/reviews/{0}/trials", "/reviews/{0}/trials/he2020",
        "/reviews/{0}/trials/he2020/history", "/reviews/{0}/events", "/reviews/{0}/members",
        "/reviews/{0}/outcomes/response/snapshots", "/reviews/{0}/snapshots/status",
    ];

    private async Task<string> PrivateReviewAsync(string id)
    {
        await ReviewApiTests.CreateReviewAsync(Client, id);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/trials", ReviewApiTests.Trial("he2020"))).StatusCode);
        return id;
    }

    [Fact]
    public async Task Requests_Should_Need_AValidKey()
    {
        var review = await PrivateReviewAsync("access-keys");

        using var nobody = host.ClientFor(null);
        var anonymous = await nobody.GetAsync($"/reviews/{review}");
        var forged = await Client.GetAs($"/reviews/{review}", "ev_not-a-real-key");
        var anonymousWrite = await nobody.Post("/reviews", new { id = "nope", title = "t", question = "q" });
        using var twoKeys = new HttpRequestMessage(HttpMethod.Get, $"/reviews/{review}");
        twoKeys.Headers.Add("X-Api-Key", ApiHost<AccessTests>.AdminKey(host.Scope));
        var both = await Client.SendAsync(twoKeys);
        using var viaHeader = new HttpRequestMessage(HttpMethod.Get, $"/reviews/{review}");
        viaHeader.Headers.Add("X-Api-Key", ApiHost<AccessTests>.AdminKey(host.Scope));
        var xApiKey = await nobody.SendAsync(viaHeader);

        // Without a key a private review is as missing as one that is not there (see ExistenceTests).
        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("Bearer", forged.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousWrite.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, both.StatusCode);
        Assert.Equal(HttpStatusCode.OK, xApiKey.StatusCode);
    }

    [Fact]
    public async Task Roles_Should_DecideWhoReadsAndWrites_AndStrangersSeeNothing()
    {
        var review = await PrivateReviewAsync("access-roles");
        var viewer = await Client.CreateKeyAsync("vera");
        var editor = await Client.CreateKeyAsync("ed");
        var stranger = await Client.CreateKeyAsync("stranger");
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/members", new { user = "vera", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/members", new { user = "ed", role = "editor" })).StatusCode);

        foreach (var route in ReadRoutes.Select(r => string.Format(System.Globalization.CultureInfo.InvariantCulture, r, review)))
        {
            Assert.True((await Client.GetAs(route, viewer)).IsSuccessStatusCode, route);
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAs(route, stranger)).StatusCode);
        }
        var viewerWrites = await Client.Post($"/reviews/{review}/trials", ReviewApiTests.Trial("zz2021", 2021), apiKey: viewer);
        var strangerWrites = await Client.Post($"/reviews/{review}/trials", ReviewApiTests.Trial("zz2021", 2021), apiKey: stranger);
        var editorWrites = await Client.Post($"/reviews/{review}/trials", ReviewApiTests.Trial("zz2021", 2021), apiKey: editor);
        var editorManages = await Client.Post($"/reviews/{review}/members", new { user = "stranger", role = "viewer" }, apiKey: editor);
        var editorRebuilds = await Client.GetAs($"/reviews/{review}/rebuild", editor);
        var history = await (await Client.GetAsync($"/reviews/{review}/trials/zz2021/history")).Json();

        Assert.Equal(HttpStatusCode.Forbidden, viewerWrites.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, strangerWrites.StatusCode);
        Assert.Equal(HttpStatusCode.Created, editorWrites.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, editorManages.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, editorRebuilds.StatusCode);
        Assert.Equal("ed", history[0].GetProperty("by").GetString());
    }

    [Fact]
    public async Task PublicReview_Should_BeReadableByEveryone_ButWritableOnlyByMembers()
    {
        var review = await PrivateReviewAsync("access-public");
        var stranger = await Client.CreateKeyAsync("passer-by");

        var noReason = await Client.Post($"/reviews/{review}/visibility", new { @public = true });
        var madePublic = await Client.Post($"/reviews/{review}/visibility", new { @public = true, reason = "published with the guideline" });
        using var nobody = host.ClientFor(null);
        var anonymousRead = await nobody.GetAsync($"/reviews/{review}/trials");
        var strangerRead = await Client.GetAs($"/reviews/{review}/events", stranger);
        var strangerWrite = await Client.Post($"/reviews/{review}/trials", ReviewApiTests.Trial("x2022", 2022), apiKey: stranger);
        var anonymousWrite = await nobody.Post($"/reviews/{review}/trials", ReviewApiTests.Trial("x2022", 2022));

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, madePublic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anonymousRead.StatusCode);
        Assert.Equal(HttpStatusCode.OK, strangerRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, strangerWrite.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousWrite.StatusCode);
    }

    [Fact]
    public async Task Keys_Should_BeStoredAsHashes_ManagedByAdministrators_AndRevocable()
    {
        var key = await Client.CreateKeyAsync("rita");
        var notAdmin = await Client.Post("/api-keys", new { user = "mallory", administrator = true }, apiKey: key);
        var list = await (await Client.GetAsync("/api-keys")).Json();
        var id = list.EnumerateArray().Single(k => k.GetProperty("user").GetString() == "rita").GetProperty("id").GetString();
        var before = await Client.GetAs("/api-keys", key);
        using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/api-keys/{id}");
        revoke.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var revoked = await Client.SendAsync(revoke);
        var after = await Client.Post("/reviews", new { id = "rita-review", title = "t", question = "q" }, apiKey: key);

        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.DoesNotContain(key, list.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Members_Should_KeepAtLeastOneOwner()
    {
        var review = await PrivateReviewAsync("access-owners");
        var members = await (await Client.GetAsync($"/reviews/{review}/members")).Json();
        using var removeOwner = new HttpRequestMessage(HttpMethod.Delete, $"/reviews/{review}/members/admin");

        var lastOwner = await Client.SendAsync(removeOwner);

        Assert.Equal("owner", members.EnumerateArray().Single(m => m.GetProperty("user").GetString() == "admin").GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Conflict, lastOwner.StatusCode);
    }

    [Fact]
    public async Task RateLimit_Should_Answer429_WithRetryAfter()
    {
        var settings = ApiHost<AccessTests>.Settings(host.Scope);
        settings["RateLimit:PermitsPerSecond"] = "1";
        settings["RateLimit:Burst"] = "3";
        await using var limited = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings)));
        using var client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiHost<AccessTests>.AdminKey(host.Scope));

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
            answers.Add(await client.GetAsync("/api-keys"));

        var refused = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }
}
