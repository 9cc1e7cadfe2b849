using System.Net;
using Evidence.Api.Auth;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Evidence.IntegrationTests.Api;

/// <summary>Made-up keys are limited per address before they are looked up, and the key cache holds only valid keys, a bounded number.</summary>
public sealed class KeyLookupTests(ApiHost<KeyLookupTests> host) : IClassFixture<ApiHost<KeyLookupTests>>
{
    [Fact]
    public async Task FailedKeys_Should_BeLimitedPerAddress_BeforeMoreAreLookedUp()
    {
        await using var api = Host(("RateLimit:FailedKeysPerSecond", "1"), ("RateLimit:FailedKeysBurst", "5"));
        using var client = api.CreateClient();
        var admin = ApiHost<KeyLookupTests>.AdminKey(host.Scope);
        var before = await client.GetAs("/api-keys", admin);

        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
            flood.Add((await client.GetAs("/api-keys", $"ev_made-up-{i}")).StatusCode);
        var after = await client.GetAs("/api-keys", admin);
        var cache = api.Services.GetRequiredService<ApiKeyCache>();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        // Five failed lookups (and one more a second), then refused without a lookup.
        Assert.True(flood.Count(s => s == HttpStatusCode.Unauthorized) is >= 5 and <= 8, string.Join(",", flood.Select(f => (int)f)));
        Assert.Equal(20, flood.Count(s => s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests));
        // A key found valid is known, so the flood of unknown ones does not lock it out.
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, flood[^1]);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task KeyCache_Should_HoldOnlyValidKeys_AtMostItsSize()
    {
        await using var api = Host(("Auth:KeyCacheSize", "3"), ("Auth:KeyCacheSeconds", "60"));
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiHost<KeyLookupTests>.AdminKey(host.Scope));
        var cache = api.Services.GetRequiredService<ApiKeyCache>();
        var keys = new List<string>();
        for (var i = 0; i < 6; i++)
            keys.Add(await client.CreateKeyAsync($"user-{i}"));

        foreach (var key in keys)
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAs("/api-keys", key)).StatusCode);
        var heldAfterValid = cache.Count;
        foreach (var i in Enumerable.Range(0, 10))
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAs("/api-keys", $"ev_junk-{i}")).StatusCode);
        // Compaction of a full cache runs in the background.
        await Task.Delay(200);

        Assert.InRange(heldAfterValid, 1, 3);
        Assert.InRange(cache.Count, 1, 3);
    }

    private WebApplicationFactory<Program> Host(params (string Name, string Value)[] settings)
    {
        var all = ApiHost<KeyLookupTests>.Settings(host.Scope);
        foreach (var (name, value) in settings)
            all[name] = value;
        return new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(all)));
    }
}
