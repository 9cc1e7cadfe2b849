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

    public async Task InitializeAsync()
    {
        await scope.InitializeAsync();
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(Settings(scope))));
        Client = factory.CreateClient();
    }

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
    };
}

/// <summary>Small helpers for talking JSON to the API in tests.</summary>
public static class Http
{
    public static Task<HttpResponseMessage> Post(this HttpClient client, string path, object body, string? ifMatch = null, string? key = null, string? user = null) =>
        client.Send(path, JsonSerializer.Serialize(body), ifMatch, key, user);

    public static async Task<HttpResponseMessage> Send(this HttpClient client, string path, string json, string? ifMatch = null, string? key = null, string? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        if (user is not null)
            request.Headers.Add("X-User", user);
        return await client.SendAsync(request);
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
