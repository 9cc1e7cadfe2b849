using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Evidence.IntegrationTests;

/// <summary>
/// What one test class owns: a database (with the cluster's superuser; else a schema of a shared one),
/// a Marten schema and a RabbitMQ virtual host of its own, so classes run in parallel without seeing
/// each other's data or messages, or holding each other's snapshots. All are removed after the class. On
/// the virtual host, the API's and the worker's users get the rights they have on the default one.
/// Use it as <c>IClassFixture&lt;TestScope&lt;MyTests&gt;&gt;</c>.
/// </summary>
public sealed class TestScope<TTests> : IAsyncLifetime
{
    private EvidenceServices? services;

    /// <summary><c>t_{class}_{random}</c>: lower-case letters, digits and '_', as Marten schemas need.</summary>
    public string Name { get; } = $"t_{Slug(typeof(TTests).Name)}_{Guid.NewGuid().ToString("N")[..8]}";

    public string Schema => Name;

    /// <summary>
    /// The class's own database (named <see cref="Name"/>, owned by the services' role) when the
    /// cluster's superuser is known, as each deployment has its own; else the shared test database.
    /// </summary>
    public string Postgres => Services.PostgresAdmin is null
        ? Services.Postgres
        : new NpgsqlConnectionStringBuilder(Services.Postgres) { Database = Name }.ConnectionString;

    /// <summary>The class's own virtual host; the default one only when no management API is known.</summary>
    public string VirtualHost { get; private set; } = "/";

    /// <summary>The broker URI on <see cref="VirtualHost"/> with the API's credentials, as the API takes it.</summary>
    public Uri RabbitMq { get; private set; } = null!;

    /// <summary>The broker URI on <see cref="VirtualHost"/> with the worker's credentials.</summary>
    public Uri WorkerRabbitMq { get; private set; } = null!;

    private EvidenceServices Services => services ?? throw new InvalidOperationException("The scope is not initialised yet.");

    public async Task InitializeAsync()
    {
        services = await EvidenceServices.GetAsync();
        if (services.PostgresAdmin is { } admin)
            await AsSuperuserAsync(admin, $"create database {Name} owner \"{new NpgsqlConnectionStringBuilder(services.Postgres).Username}\"");
        RabbitMq = services.RabbitMq;
        WorkerRabbitMq = services.WorkerRabbitMq;
        if (services.Management is null)
            return;

        VirtualHost = Name;
        using var http = services.ManagementClient();
        (await http.PutAsync(VirtualHostPath, null)).EnsureSuccessStatusCode();
        foreach (var host in new[] { services.RabbitMq, services.WorkerRabbitMq })
            await GrantDefaultRightsAsync(http, EvidenceServices.UserOf(host).Name);
        RabbitMq = OnVirtualHost(services.RabbitMq);
        WorkerRabbitMq = OnVirtualHost(services.WorkerRabbitMq);
    }

    private async Task GrantDefaultRightsAsync(HttpClient http, string user)
    {
        var response = await http.GetAsync($"api/permissions/%2F/{Uri.EscapeDataString(user)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new InvalidOperationException($"The broker user '{user}' has no rights on the default virtual host; `./evidence.sh services up` provisions it.");
        response.EnsureSuccessStatusCode();
        var rights = await response.Content.ReadFromJsonAsync<JsonElement>();
        var copy = new
        {
            configure = rights.GetProperty("configure").GetString(),
            write = rights.GetProperty("write").GetString(),
            read = rights.GetProperty("read").GetString(),
        };
        (await http.PutAsJsonAsync($"api/permissions/{Uri.EscapeDataString(VirtualHost)}/{Uri.EscapeDataString(user)}", copy))
            .EnsureSuccessStatusCode();
    }

    private Uri OnVirtualHost(Uri broker) => new UriBuilder(broker) { Path = "/" + Uri.EscapeDataString(VirtualHost) }.Uri;

    public async Task DisposeAsync()
    {
        if (services is null)
            return;
        // A pooled connection may predate a database restart (the fault tests cause one): one retry on a fresh pool.
        try
        {
            await DropSchemaAsync();
        }
        catch (NpgsqlException)
        {
            NpgsqlConnection.ClearAllPools();
            await DropSchemaAsync();
        }
        if (VirtualHost != "/")
        {
            using var http = services.ManagementClient();
            await http.DeleteAsync(VirtualHostPath);
        }
    }

    private async Task DropSchemaAsync()
    {
        if (Services.PostgresAdmin is { } admin)
        {
            await AsSuperuserAsync(admin, $"drop database if exists {Name} with (force)");
            return;
        }
        await using var connection = new NpgsqlConnection(Services.Postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {Schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task AsSuperuserAsync(string admin, string sql)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private string VirtualHostPath => $"api/vhosts/{Uri.EscapeDataString(VirtualHost)}";

    private static string Slug(string text)
    {
        var slug = new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return slug.Length > 40 ? slug[..40] : slug;
    }
}
