using System.Net;
using Npgsql;

namespace Evidence.IntegrationTests.Api;

/// <summary>Idempotent retries: no stored secret, the caller's current role, one effect under concurrency.</summary>
public sealed class IdempotencyTests(ApiHost<IdempotencyTests> host) : IClassFixture<ApiHost<IdempotencyTests>>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task KeyCreation_Should_StoreNoKey_AndReplayWithoutIt()
    {
        var first = await Client.Post("/api-keys", new { user = "ivy" }, key: "create-ivy");
        var retry = await Client.Post("/api-keys", new { user = "ivy" }, key: "create-ivy");
        var created = await first.Json();
        var replayed = await retry.Json();
        var key = created.GetProperty("key").GetString()!;

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(created.GetProperty("id").GetString(), replayed.GetProperty("id").GetString());
        Assert.False(replayed.TryGetProperty("key", out _));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(0, await RowsHoldingAsync(key));
        // The key works (a user's key, refused an administrator's list rather than unknown).
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.GetAs("/api-keys", key)).StatusCode);
        Assert.Single(await KeysOfAsync("ivy"));
    }

    [Fact]
    public async Task Replay_Should_CheckTheCallersCurrentRole()
    {
        var review = await ReviewApiTests.CreateReviewAsync(Client, "replay-role");
        var eddie = await Client.CreateKeyAsync("eddie");
        await SetRoleAsync(review, "eddie", "editor");
        var trial = ReviewApiTests.Trial("he2020");

        var first = await Client.Post($"/reviews/{review}/trials", trial, key: "eddie-he2020", apiKey: eddie);
        await SetRoleAsync(review, "eddie", "viewer");
        var asViewer = await Client.Post($"/reviews/{review}/trials", trial, key: "eddie-he2020", apiKey: eddie);
        using var remove = new HttpRequestMessage(HttpMethod.Delete, $"/reviews/{review}/members/eddie");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync(remove)).StatusCode);
        var asStranger = await Client.Post($"/reviews/{review}/trials", trial, key: "eddie-he2020", apiKey: eddie);
        await SetRoleAsync(review, "eddie", "editor");
        var asEditorAgain = await Client.Post($"/reviews/{review}/trials", trial, key: "eddie-he2020", apiKey: eddie);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asStranger.StatusCode);
        Assert.Equal(HttpStatusCode.Created, asEditorAgain.StatusCode);
        Assert.Equal("true", asEditorAgain.Headers.GetValues("Idempotency-Replayed").Single());
    }

    [Fact]
    public async Task SameKey_Should_HaveOneEffect_WhenSentAtOnce()
    {
        const int clients = 16;
        var review = new { id = "at-once", title = "t", question = "q" };

        var creations = await AtOnceAsync(clients, () => Client.Post("/reviews", review, key: "create-at-once"));
        await ReviewApiTests.CreateReviewAsync(Client, "at-once-trials");
        var recordings = await AtOnceAsync(clients, () => Client.Post("/reviews/at-once-trials/trials", ReviewApiTests.Trial("he2020"), key: "record-at-once"));
        var events = await (await Client.GetAsync("/reviews/at-once-trials/events?trial=he2020")).Json();
        var created = await (await Client.GetAsync("/reviews/at-once")).Json();

        foreach (var answers in new[] { creations, recordings })
        {
            Assert.Single(answers, a => a.Status == 201 && !a.Replayed);
            Assert.All(answers, a => Assert.True(a.Status == 201 || a is { Status: 409, Title: "Idempotency-Key in progress." }, $"{a.Status} {a.Title}"));
        }
        Assert.Equal(1, created.GetProperty("version").GetInt64());
        Assert.Equal(1, events.GetProperty("events").GetArrayLength());
    }

    private static async Task<IReadOnlyList<(int Status, bool Replayed, string? Title)>> AtOnceAsync(int clients, Func<Task<HttpResponseMessage>> send)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var response = await send();
            var title = response.StatusCode == HttpStatusCode.Created ? null : (await response.Json()).GetProperty("title").GetString();
            return ((int)response.StatusCode, response.Headers.Contains("Idempotency-Replayed"), title);
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(requests);
    }

    private async Task SetRoleAsync(string review, string user, string role) =>
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/members", new { user, role })).StatusCode);

    private async Task<IReadOnlyList<string>> KeysOfAsync(string user) =>
        (await (await Client.GetAsync("/api-keys")).Json()).EnumerateArray()
        .Where(k => k.GetProperty("user").GetString() == user).Select(k => k.GetProperty("id").GetString()!).ToList();

    /// <summary>Rows of any table of the schema whose text holds <paramref name="text"/>.</summary>
    private async Task<long> RowsHoldingAsync(string text)
    {
        await using var connection = new NpgsqlConnection(host.Scope.Postgres);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = @schema and table_type = 'BASE TABLE'", connection))
        {
            list.Parameters.AddWithValue("schema", host.Scope.Schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }
        Assert.Contains("mt_doc_idempotencyrecord", tables);
        long rows = 0;
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from {host.Scope.Schema}.\"{table}\" t where strpos(t::text, @text) > 0", connection);
            count.Parameters.AddWithValue("text", text);
            rows += (long)(await count.ExecuteScalarAsync())!;
        }
        return rows;
    }
}
