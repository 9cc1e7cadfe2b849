using System.Net;
using Evidence.IntegrationTests.Api;
using Npgsql;

namespace Evidence.IntegrationTests.Webhooks;

/// <summary>Making, reading and deleting subscriptions: who may, what is refused, and where the secret is (not) kept.</summary>
public sealed class SubscriptionApiTests(WebhookApi<SubscriptionApiTests> api) : IClassFixture<WebhookApi<SubscriptionApiTests>>
{
    /// <summary>A documentation address (TEST-NET-3): public, and needs no name lookup.</summary>
    private const string PublicTarget = "http://203.0.113.10/hooks/evidence";

    private HttpClient Client => api.Client;

    private async Task<string> ReviewAsync(string id)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML" })).StatusCode);
        return id;
    }

    private async Task<int> CountAsync(string review) =>
        (await (await Client.GetAsync($"/reviews/{review}/subscriptions")).Json()).GetArrayLength();

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.1/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://224.0.0.1/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("ftp://203.0.113.10/hook")]
    [InlineData("http://user:secret@203.0.113.10/hook")]
    [InlineData("/hooks/relative")]
    public async Task NonPublicOrMalformedTarget_Should_BeRefused_OnUrl_AndNothingStored(string url)
    {
        var review = await ReviewAsync($"ssrf-{Guid.NewGuid():N}"[..20]);

        var response = await Client.Post($"/reviews/{review}/subscriptions", new { url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["url"], await response.ErrorFields());
        Assert.Equal(0, await CountAsync(review));
    }

    [Fact]
    public async Task BadFields_Should_EachBeNamed_AndNothingStored()
    {
        var review = await ReviewAsync("bad-fields");

        var response = await Client.Post($"/reviews/{review}/subscriptions",
            new { url = PublicTarget, outcomes = new object[] { "response", "no-such-outcome", 3 }, kinds = new[] { "gossip", "trialStatus" }, colour = "red" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["colour", "kinds[0]", "outcomes[1]", "outcomes[2]"], (await response.ErrorFields()).Order());
        var missing = await Client.Post($"/reviews/{review}/subscriptions", new { kinds = new[] { "significance" } });
        Assert.Equal(["url"], await missing.ErrorFields());
        Assert.Equal(0, await CountAsync(review));
    }

    [Fact]
    public async Task Secret_Should_BeShownOnce_AndStoredOnlyEncrypted()
    {
        var review = await ReviewAsync("secret");
        var body = new { url = PublicTarget, outcomes = new[] { "response" }, kinds = new[] { "significance", "trialStatus" }, description = "panel" };

        var first = await Client.Post($"/reviews/{review}/subscriptions", body, key: "subscribe-once");
        var replay = await Client.Post($"/reviews/{review}/subscriptions", body, key: "subscribe-once");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await first.Json();
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal($"/reviews/{review}/subscriptions/{id}", first.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotency-Replayed").Single());
        var replayed = await replay.Json();
        Assert.Equal(id, replayed.GetProperty("id").GetString());
        Assert.False(replayed.TryGetProperty("secret", out _));
        Assert.Equal(1, await CountAsync(review));

        var listed = await (await Client.GetAsync($"/reviews/{review}/subscriptions")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret["whsec_".Length..], listed);
        Assert.Contains(PublicTarget, listed);
        var stored = await StoredTextAsync();
        Assert.Contains(id, stored);
        Assert.DoesNotContain(secret["whsec_".Length..], stored);

        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteAsync($"/reviews/{review}/subscriptions/{id}")).StatusCode);
        Assert.Equal(0, await CountAsync(review));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/reviews/{review}/subscriptions/{id}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"/reviews/{review}/subscriptions/{id}")).StatusCode);
    }

    [Fact]
    public async Task OnlyOwners_Should_ManageSubscriptions()
    {
        var review = await ReviewAsync("owners-only");
        var editor = await Client.CreateKeyAsync("webhook-editor");
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/members", new { user = "webhook-editor", role = "editor" })).StatusCode);
        var created = await (await Client.Post($"/reviews/{review}/subscriptions", new { url = PublicTarget })).Json();
        var id = created.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Forbidden, (await Client.Post($"/reviews/{review}/subscriptions", new { url = PublicTarget }, apiKey: editor)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.GetAs($"/reviews/{review}/subscriptions", editor)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.GetAs($"/reviews/{review}/subscriptions/{id}/deliveries", editor)).StatusCode);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/reviews/{review}/subscriptions/{id}");
        delete.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", editor);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.SendAsync(delete)).StatusCode);
        Assert.Equal(1, await CountAsync(review));
    }

    [Theory]
    [InlineData(null, "no key is set")]
    [InlineData("c2hvcnQ=", "is 5 bytes, not 32")]
    public async Task WithoutAUsableSecretKey_Should_Answer503_NamingTheSetting(string? secretKey, string problem)
    {
        var review = await ReviewAsync($"unconfigured-{(secretKey is null ? "none" : "short")}");
        await using var unconfigured = api.Start(secretKey);
        using var client = unconfigured.CreateClient();

        var response = await client.Post($"/reviews/{review}/subscriptions", new { url = PublicTarget }, apiKey: ApiHost<SubscriptionApiTests>.AdminKey(api.Scope));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problemDetails = await response.Json();
        Assert.Contains("Webhooks:SecretKey", problemDetails.GetProperty("detail").GetString());
        Assert.Contains(problem, problemDetails.GetProperty("detail").GetString());
        Assert.Equal("Webhooks:SecretKey", problemDetails.GetProperty("setting").GetString());
        Assert.False(response.Headers.Contains("Retry-After"));
        Assert.Equal(0, await CountAsync(review));
    }

    /// <summary>Everything stored about subscriptions and their idempotent answers, as text.</summary>
    private async Task<string> StoredTextAsync()
    {
        await using var connection = new NpgsqlConnection(api.Scope.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select string_agg(data::text, ' ') from (select data from {api.Scope.Schema}.mt_doc_webhooksubscription union all select data from {api.Scope.Schema}.mt_doc_idempotencyrecord) d",
            connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
