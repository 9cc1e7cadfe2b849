using System.Collections.Concurrent;
using System.Net;
using Evidence.Api.Auth;
using Evidence.Domain.Access;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Evidence.IntegrationTests.Api;

/// <summary>The bootstrap administrator key, once revoked, stays revoked when the API starts again.</summary>
public sealed class AdminKeyBootstrapTests(TestScope<AdminKeyBootstrapTests> scope) : IClassFixture<TestScope<AdminKeyBootstrapTests>>
{
    [Fact]
    public async Task RevokedBootstrapKey_Should_StayRevoked_AfterARestart()
    {
        var key = ApiHost<AdminKeyBootstrapTests>.AdminKey(scope);
        HttpStatusCode revoked, before;
        await using (var first = Start(new Logs()))
        {
            using var client = Client(first, key);
            before = (await client.GetAsync("/api-keys")).StatusCode;
            revoked = (await client.DeleteAsync($"/api-keys/{ApiKey.IdOf(key)}")).StatusCode;
        }
        var logs = new Logs();
        await using var restarted = Start(logs);
        using var again = Client(restarted, key);

        var after = await again.GetAsync("/api-keys");

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.OK, revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Category == typeof(AdminKeyBootstrap).FullName
                                           && e.Message.Contains("stays revoked", StringComparison.Ordinal));
    }

    private WebApplicationFactory<Program> Start(Logs logs)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(ApiHost<AdminKeyBootstrapTests>.Settings(scope)));
            web.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        _ = factory.Services; // starts the host, and with it the bootstrap
        return factory;
    }

    private static HttpClient Client(WebApplicationFactory<Program> factory, string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Every log entry of a host, kept for the test to read.</summary>
    private sealed class Logs : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(Logs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
