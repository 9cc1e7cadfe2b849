using System.Security.Cryptography;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Snapshots;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Evidence.IntegrationTests.Webhooks;

/// <summary>
/// The API in process, the worker as its own process and a real receiver, for one test class, on its
/// own database and virtual host; webhooks keyed by a fresh secret key, with small retry settings and
/// private targets allowed (the receiver listens on loopback).
/// </summary>
public class WebhookPipeline<TTests> : IAsyncLifetime
{
    private readonly TestScope<TTests> scope = new();
    private readonly string secretKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private WebApplicationFactory<Program>? factory;

    public HttpClient Client { get; private set; } = null!;

    public WorkerProcess Worker { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public TestScope<TTests> Scope => scope;

    public Dictionary<string, string?> Settings()
    {
        var settings = ApiHost<TTests>.Settings(scope);
        settings["Snapshots:ReconcileSeconds"] = "5";
        settings["Webhooks:SecretKey"] = secretKey;
        settings["Webhooks:AllowPrivateTargets"] = "true";
        settings["Webhooks:FirstRetrySeconds"] = "0.2";
        settings["Webhooks:MaxRetrySeconds"] = "0.5";
        settings["Webhooks:GiveUpHours"] = "1";
        settings["Webhooks:PollMilliseconds"] = "100";
        return settings;
    }

    public async Task InitializeAsync()
    {
        await scope.InitializeAsync();
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(Settings())));
        Client = factory.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiHost<TTests>.AdminKey(scope));
        Receiver = await WebhookReceiver.StartAsync();
        Worker = StartWorker();
    }

    /// <summary>Kills the worker, as a crash would, and starts a new one.</summary>
    public async Task RestartWorkerAsync()
    {
        await Worker.DisposeAsync();
        Worker = StartWorker();
    }

    /// <summary>Another worker process on the same database and virtual host; the caller disposes it.</summary>
    public WorkerProcess StartWorker()
    {
        var settings = Settings();
        settings["ConnectionStrings:RabbitMq"] = scope.WorkerRabbitMq.ToString();
        ConfigureWorker(settings);
        return WorkerProcess.Start(settings);
    }

    /// <summary>Where a test class's worker differs from the API.</summary>
    protected virtual void ConfigureWorker(Dictionary<string, string?> settings)
    {
    }

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Receiver.DisposeAsync();
        Client.Dispose();
        if (factory is not null)
            await factory.DisposeAsync();
        await scope.DisposeAsync();
    }
}
