using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Evidence.IntegrationTests.Api;

/// <summary>The real API <c>Program</c> on the test class's own schema and virtual host.</summary>
public sealed class ApiHost<TTests> : IAsyncLifetime
{
    private readonly TestScope<TTests> scope = new();
    private WebApplicationFactory<Program>? factory;

    public TestScope<TTests> Scope => scope;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The host's services, to look at what it holds (its routes, its caches).</summary>
    public IServiceProvider Services => factory!.Services;

    public async Task InitializeAsync()
    {
        await scope.InitializeAsync();
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(Settings(scope))));
        Client = factory.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey(scope));
    }

    /// <summary>A client of the same host sending <paramref name="apiKey"/> (nothing when null).</summary>
    public HttpClient ClientFor(string? apiKey)
    {
        var client = factory!.CreateClient();
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>The administrator key the test hosts bootstrap (EVIDENCE_ADMIN_KEY), one per test class.</summary>
    public static string AdminKey(TestScope<TTests> scope) => $"admin-key-{scope.Name}";

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (factory is not null)
            await factory.DisposeAsync();
        await scope.DisposeAsync();
    }

    public static Dictionary<string, string?> Settings(TestScope<TTests> scope) => new()
    {
        ["ConnectionStrings:Postgres"] = scope.Postgres,
        ["ConnectionStrings:RabbitMq"] = scope.RabbitMq.ToString(),
        ["Marten:Schema"] = scope.Schema,
        ["EVIDENCE_ADMIN_KEY"] = AdminKey(scope),
        ["Auth:KeyCacheSeconds"] = "0",
        // Test classes send refused keys by the dozen from one address; the budget has tests of its own (KeyLookupTests).
        ["RateLimit:FailedKeysBurst"] = "100000",
    };
}

/// <summary>Small helpers for talking JSON to the API in tests.</summary>
public static class Http
{
    /// <summary>POSTs JSON; <paramref name="apiKey"/> replaces the client's own key for this request.</summary>
    public static Task<HttpResponseMessage> Post(this HttpClient client, string path, object body, string? ifMatch = null, string? key = null, string? apiKey = null) =>
        client.Send(path, JsonSerializer.Serialize(body), ifMatch, key, apiKey);

    public static async Task<HttpResponseMessage> Send(this HttpClient client, string path, string json, string? ifMatch = null, string? key = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        if (apiKey is not null)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return await client.SendAsync(request);
    }

    /// <summary>GETs as the holder of <paramref name="apiKey"/>, replacing the client's own key.</summary>
    public static async Task<HttpResponseMessage> GetAs(this HttpClient client, string path, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return await client.SendAsync(request);
    }

    /// <summary>An administrator creates a key for <paramref name="user"/>; returns the key.</summary>
    public static async Task<string> CreateKeyAsync(this HttpClient client, string user, bool administrator = false)
    {
        var response = await client.Post("/api-keys", new { user, administrator });
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
            throw new InvalidOperationException($"creating a key for {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Json()).GetProperty("key").GetString()!;
    }

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>());

    /// <summary>The field names of a 400 ProblemDetails.</summary>
    public static async Task<IReadOnlyList<string>> ErrorFields(this HttpResponseMessage response)
    {
        var problem = await response.Json();
        return problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(p => p.Name).ToList() : [];
    }
}
