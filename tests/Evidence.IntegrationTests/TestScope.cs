using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace Evidence.IntegrationTests;

/// <summary>
/// What one test class owns: a Marten schema and a RabbitMQ virtual host of its own, so classes run
/// in parallel without seeing each other's data or messages. Both are removed after the class.
/// Use it as <c>IClassFixture&lt;TestScope&lt;MyTests&gt;&gt;</c>.
/// </summary>
public sealed class TestScope<TTests> : IAsyncLifetime
{
    private EvidenceServices? services;

    /// <summary><c>t_{class}_{random}</c>: lower-case letters, digits and '_', as Marten schemas need.</summary>
    public string Name { get; } = $"t_{Slug(typeof(TTests).Name)}_{Guid.NewGuid().ToString("N")[..8]}";

    public string Schema => Name;

    public string Postgres => Services.Postgres;

    /// <summary>The class's own virtual host; the default one only when no management API is known.</summary>
    public string VirtualHost { get; private set; } = "/";

    /// <summary>The broker URI on <see cref="VirtualHost"/>, with credentials, as the hosts take it.</summary>
    public Uri RabbitMq { get; private set; } = null!;

    private EvidenceServices Services => services ?? throw new InvalidOperationException("The scope is not initialised yet.");

    public async Task InitializeAsync()
    {
        services = await EvidenceServices.GetAsync();
        RabbitMq = services.RabbitMq;
        if (services.Management is null)
            return;

        VirtualHost = Name;
        using var http = ManagementClient();
        (await http.PutAsync(VirtualHostPath, null)).EnsureSuccessStatusCode();
        var permissions = new { configure = ".*", write = ".*", read = ".*" };
        (await http.PutAsJsonAsync($"api/permissions/{Uri.EscapeDataString(VirtualHost)}/{Uri.EscapeDataString(User.Name)}", permissions))
            .EnsureSuccessStatusCode();
        RabbitMq = new UriBuilder(services.RabbitMq) { Path = "/" + Uri.EscapeDataString(VirtualHost) }.Uri;
    }

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
            using var http = ManagementClient();
            await http.DeleteAsync(VirtualHostPath);
        }
    }

    private async Task DropSchemaAsync()
    {
        await using var connection = new NpgsqlConnection(Services.Postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {Schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private string VirtualHostPath => $"api/vhosts/{Uri.EscapeDataString(VirtualHost)}";

    private (string Name, string Password) User
    {
        get
        {
            var parts = Services.RabbitMq.UserInfo.Split(':', 2);
            return parts.Length == 2 && parts[0].Length > 0
                ? (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]))
                : ("guest", "guest");
        }
    }

    private HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = Services.Management, Timeout = TimeSpan.FromSeconds(30) };
        var (name, password) = User;
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{name}:{password}")));
        return http;
    }

    private static string Slug(string text)
    {
        var slug = new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return slug.Length > 40 ? slug[..40] : slug;
    }
}
