using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Evidence.IntegrationTests;

/// <summary>
/// The PostgreSQL and RabbitMQ every integration test uses, found once per test run: the services
/// named by environment variables (as <c>./evidence.sh test</c> sets them), else containers where a
/// Docker engine answers. Without either, tests fail with how to start them; they are never skipped.
/// The broker is reached as three users: the API's, the worker's (neither an administrator) and an
/// administrator's, through the management API, to set up each test class's virtual host.
/// </summary>
public sealed class EvidenceServices
{
    public const string PostgresVariable = "ConnectionStrings__Postgres";
    public const string RabbitMqVariable = "ConnectionStrings__RabbitMq";
    public const string WorkerRabbitMqVariable = "EVIDENCE_RABBITMQ_WORKER";
    public const string ManagementVariable = "EVIDENCE_RABBITMQ_MANAGEMENT";
    public const string PostgresAdminVariable = "EVIDENCE_POSTGRES_ADMIN";

    private static readonly Lazy<Task<EvidenceServices>> Shared = new(FindAsync);

    private EvidenceServices(string postgres, string? postgresAdmin, Uri rabbitMq, Uri workerRabbitMq, Uri? management)
    {
        Postgres = postgres;
        PostgresAdmin = postgresAdmin;
        RabbitMq = rabbitMq;
        WorkerRabbitMq = workerRabbitMq;
        Management = management is null ? null : new UriBuilder(management) { UserName = "", Password = "" }.Uri;
        ManagementUser = management is null ? ("guest", "guest") : UserOf(management);
    }

    /// <summary>An Npgsql connection string to the test database.</summary>
    public string Postgres { get; }

    /// <summary>
    /// The cluster's superuser, when known: each test class then gets a database of its own, as a
    /// deployment has, rather than a schema in a shared one (Marten's high-water mark weighs every
    /// open transaction of its database, so classes sharing one would hold each other's snapshots).
    /// </summary>
    public string? PostgresAdmin { get; }

    /// <summary>The broker as the API's user, an <c>amqp://user:password@host:port/</c> URI on the default virtual host.</summary>
    public Uri RabbitMq { get; }

    /// <summary>The broker as the worker's user, on the default virtual host.</summary>
    public Uri WorkerRabbitMq { get; }

    /// <summary>The RabbitMQ management API (<c>http://host:port/</c>), when it is available.</summary>
    public Uri? Management { get; }

    /// <summary>The administrator the management API is used as (the user info of <see cref="ManagementVariable"/>).</summary>
    public (string Name, string Password) ManagementUser { get; }

    /// <summary>A client of the management API, logged in as <see cref="ManagementUser"/> unless <paramref name="user"/> is given.</summary>
    public HttpClient ManagementClient((string Name, string Password)? user = null)
    {
        var (name, password) = user ?? ManagementUser;
        var http = new HttpClient
        {
            BaseAddress = Management ?? throw new InvalidOperationException($"{ManagementVariable} is not set."),
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{name}:{password}")));
        return http;
    }

    /// <summary>The user name and password a broker URI carries (<c>guest</c> without them, as RabbitMQ assumes).</summary>
    public static (string Name, string Password) UserOf(Uri uri)
    {
        var parts = uri.UserInfo.Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0
            ? (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]))
            : ("guest", "guest");
    }

    public static Task<EvidenceServices> GetAsync() => Shared.Value;

    private static async Task<EvidenceServices> FindAsync()
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        var rabbitMq = Environment.GetEnvironmentVariable(RabbitMqVariable);
        if (!string.IsNullOrWhiteSpace(postgres) && !string.IsNullOrWhiteSpace(rabbitMq))
        {
            var worker = Environment.GetEnvironmentVariable(WorkerRabbitMqVariable);
            if (string.IsNullOrWhiteSpace(worker))
                throw new InvalidOperationException(
                    $"{RabbitMqVariable} is set but {WorkerRabbitMqVariable} (the worker's broker user) is not; export what `./evidence.sh services env` prints.");
            var management = Environment.GetEnvironmentVariable(ManagementVariable);
            var admin = Environment.GetEnvironmentVariable(PostgresAdminVariable);
            return new EvidenceServices(postgres, string.IsNullOrWhiteSpace(admin) ? null : admin, new Uri(rabbitMq), new Uri(worker), string.IsNullOrWhiteSpace(management) ? null : new Uri(management));
        }

        try
        {
            return await StartContainersAsync();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"""
                 The integration tests need PostgreSQL and RabbitMQ, and found neither environment variables nor a Docker engine.
                 Either run everything with `./evidence.sh test`, or start the local services and export what they print:
                     ./evidence.sh services up
                     eval "$(./evidence.sh services env)"
                 ({PostgresVariable}, {RabbitMqVariable}, {WorkerRabbitMqVariable} and {ManagementVariable} are read.)
                 Starting containers failed with: {ex.GetType().Name}: {ex.Message}
                 """, ex);
        }
    }

    private static async Task<EvidenceServices> StartContainersAsync()
    {
        const ushort managementPort = 15672;
        var postgres = new PostgreSqlBuilder("postgres:15")
            .WithDatabase("postgres").WithUsername("postgres").WithPassword("postgres")
            .WithCommand("-c", "max_connections=300")
            .Build();
        const string admin = "evidence-admin";
        var rabbitMq = new RabbitMqBuilder("rabbitmq:3-management")
            .WithUsername(admin).WithPassword(admin)
            .WithPortBinding(managementPort, assignRandomHostPort: true)
            .Build();
        // Containers live as long as the test process; Testcontainers' reaper removes them after it.
        await Task.WhenAll(postgres.StartAsync(), rabbitMq.StartAsync());
        var management = new Uri($"http://{admin}:{admin}@{rabbitMq.Hostname}:{rabbitMq.GetMappedPublicPort(managementPort)}/");
        var amqp = new Uri(rabbitMq.GetConnectionString());
        Uri As(string user) => new UriBuilder(amqp) { UserName = user, Password = user }.Uri;
        var services = new EvidenceServices(await ServicesRoleAsync(postgres.GetConnectionString()), postgres.GetConnectionString(), As("evidence-api"), As("evidence-worker"), management);

        // The hosts' users and their rights, as deployments define them.
        using var http = services.ManagementClient();
        var definitions = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "definitions.json"));
        (await http.PostAsync("api/definitions", new StringContent(definitions, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        return services;
    }

    /// <summary>The services' role, as deployments create it: owner of its database, no superuser.</summary>
    private static async Task<string> ServicesRoleAsync(string superuser)
    {
        await using (var connection = new NpgsqlConnection(superuser))
        {
            await connection.OpenAsync();
            foreach (var sql in new[]
                     {
                         "create role evidence login password 'evidence' nosuperuser nocreatedb nocreaterole",
                         "create database evidence owner evidence",
                     })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        return new NpgsqlConnectionStringBuilder(superuser) { Database = "evidence", Username = "evidence", Password = "evidence" }.ConnectionString;
    }
}
