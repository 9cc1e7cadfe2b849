using System.Net;
using System.Text.Json;
using Evidence.IntegrationTests.Api;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// The whole pipeline for one test class: the real API (with its event forwarder) in process, and
/// the real worker as a separate process, on the class's own schema and virtual host.
/// </summary>
public sealed class SnapshotPipeline<TTests> : IAsyncLifetime
{
    private readonly TestScope<TTests> scope = new();
    private WebApplicationFactory<Program>? factory;

    public HttpClient Client { get; private set; } = null!;

    public WorkerProcess Worker { get; private set; } = null!;

    public TestScope<TTests> Scope => scope;

    /// <summary>The in-process API's services.</summary>
    public IServiceProvider Services => factory!.Services;

    /// <summary>
    /// A second API host on the same schema and virtual host, with <paramref name="overrides"/> on top
    /// of the pipeline's settings; the caller disposes it.
    /// </summary>
    public WebApplicationFactory<Program> StartApi(IReadOnlyDictionary<string, string?> overrides)
    {
        var settings = Settings();
        foreach (var (name, value) in overrides)
            settings[name] = value;
        return new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings)));
    }

    /// <summary>The settings both hosts take; the reconciler runs rarely so tests see the message path.</summary>
    public Dictionary<string, string?> Settings(int reconcileSeconds = 600)
    {
        var settings = ApiHost<TTests>.Settings(scope);
        settings["Snapshots:ReconcileSeconds"] = reconcileSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    /// <summary>The worker's settings: those of <see cref="Settings"/>, with the worker's own broker user.</summary>
    public Dictionary<string, string?> WorkerSettings(int reconcileSeconds = 600)
    {
        var settings = Settings(reconcileSeconds);
        settings["ConnectionStrings:RabbitMq"] = scope.WorkerRabbitMq.ToString();
        return settings;
    }

    public async Task InitializeAsync()
    {
        await scope.InitializeAsync();
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(Settings())));
        Client = factory.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiHost<TTests>.AdminKey(scope));
        Worker = WorkerProcess.Start(WorkerSettings());
    }

    /// <summary>A client of the in-process API sending <paramref name="apiKey"/> (nothing when null).</summary>
    public HttpClient ClientFor(string? apiKey)
    {
        var client = factory!.CreateClient();
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public WorkerProcess StartWorker(int reconcileSeconds = 600) => WorkerProcess.Start(WorkerSettings(reconcileSeconds));

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        Client.Dispose();
        if (factory is not null)
            await factory.DisposeAsync();
        await scope.DisposeAsync();
    }

    /// <summary>Waits until the outcome has <paramref name="versions"/> snapshots; fails with the worker's log if it never does.</summary>
    public async Task<JsonElement> WaitForVersionsAsync(string review, string outcome, int versions, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonElement list = default;
        while (DateTime.UtcNow < deadline)
        {
            var response = await Client.GetAsync($"/reviews/{review}/outcomes/{outcome}/snapshots");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                list = await response.Json();
                if (list.GetArrayLength() >= versions)
                    return list;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException(
            $"{outcome} has {(list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0)} of {versions} versions.\nWorker log:\n{Worker.Output}");
    }
}
