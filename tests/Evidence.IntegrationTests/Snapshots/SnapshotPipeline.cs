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
        var answer = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await Client.GetAsync($"/reviews/{review}/outcomes/{outcome}/snapshots");
                answer = $"{(int)response.StatusCode} {response.StatusCode}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    list = await response.Json();
                    if (list.GetArrayLength() >= versions)
                        return list;
                }
            }
            catch (HttpRequestException e)
            {
                answer = e.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException(
            $"{outcome} has {(list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0)} of {versions} versions (last answer: {answer}).\n" +
            $"{await StoreStateAsync(review)}\nWorker log:\n{Worker.Output}");
    }

    /// <summary>
    /// Where the pipeline stands in the store: the newest event, how far the daemon's high-water mark
    /// and the forwarder have gone, and how far the worker has taken the review; what a timeout needs
    /// to tell a stalled forwarder from a stalled worker.
    /// </summary>
    private async Task<string> StoreStateAsync(string review)
    {
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(scope.Postgres);
            await connection.OpenAsync();
            var lines = new List<string>();
            await using (var command = new Npgsql.NpgsqlCommand(
                $"select 'newest event', coalesce(max(seq_id), 0) from {scope.Schema}.mt_events " +
                $"union all select name, last_seq_id from {scope.Schema}.mt_event_progression " +
                $"union all select 'worker progress of {review}', (data ->> 'sequence')::bigint from {scope.Schema}.mt_doc_snapshotprogress where id = $1", connection))
            {
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = review });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    lines.Add($"{reader.GetString(0)}: {(reader.IsDBNull(1) ? "none" : reader.GetInt64(1))}");
            }
            return "Store: " + string.Join("; ", lines);
        }
        catch (Exception e)
        {
            return $"Store: not readable ({e.Message})";
        }
    }
}
