using System.Security.Cryptography;
using Evidence.IntegrationTests.Api;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Evidence.IntegrationTests.Webhooks;

/// <summary>The real API on the test class's own database, with webhooks configured as in production: private targets refused.</summary>
public sealed class WebhookApi<TTests> : IAsyncLifetime
{
    private readonly TestScope<TTests> scope = new();
    private WebApplicationFactory<Program>? factory;

    public TestScope<TTests> Scope => scope;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await scope.InitializeAsync();
        factory = Start(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Client = factory.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiHost<TTests>.AdminKey(scope));
    }

    /// <summary>Another API on the same database, with <paramref name="secretKey"/> as <c>Webhooks:SecretKey</c>; the caller disposes it.</summary>
    public WebApplicationFactory<Program> Start(string? secretKey)
    {
        var settings = ApiHost<TTests>.Settings(scope);
        settings["Webhooks:SecretKey"] = secretKey;
        return new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings)));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (factory is not null)
            await factory.DisposeAsync();
        await scope.DisposeAsync();
    }
}
