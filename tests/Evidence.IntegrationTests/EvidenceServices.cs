using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Evidence.IntegrationTests;

/// <summary>
/// The PostgreSQL and RabbitMQ every integration test uses, found once per test run: the services
/// named by environment variables (as <c>./evidence.sh test</c> sets them), else containers where a
/// Docker engine answers. Without either, tests fail with how to start them; they are never skipped.
/// </summary>
public sealed class EvidenceServices
{
    public const string PostgresVariable = "ConnectionStrings__Postgres";
    public const string RabbitMqVariable = "ConnectionStrings__RabbitMq";
    public const string ManagementVariable = "EVIDENCE_RABBITMQ_MANAGEMENT";

    private static readonly Lazy<Task<EvidenceServices>> Shared = new(FindAsync);

    private EvidenceServices(string postgres, Uri rabbitMq, Uri? management)
    {
        Postgres = postgres;
        RabbitMq = rabbitMq;
        Management = management;
    }

    /// <summary>An Npgsql connection string to the test database.</summary>
    public string Postgres { get; }

    /// <summary>The broker as an <c>amqp://user:password@host:port/</c> URI, on the default virtual host.</summary>
    public Uri RabbitMq { get; }

    /// <summary>The RabbitMQ management API (<c>http://host:port/</c>), when it is available.</summary>
    public Uri? Management { get; }

    public static Task<EvidenceServices> GetAsync() => Shared.Value;

    private static async Task<EvidenceServices> FindAsync()
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        var rabbitMq = Environment.GetEnvironmentVariable(RabbitMqVariable);
        if (!string.IsNullOrWhiteSpace(postgres) && !string.IsNullOrWhiteSpace(rabbitMq))
        {
            var management = Environment.GetEnvironmentVariable(ManagementVariable);
            return new EvidenceServices(postgres, new Uri(rabbitMq), string.IsNullOrWhiteSpace(management) ? null : new Uri(management));
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
                 ({PostgresVariable}, {RabbitMqVariable} and {ManagementVariable} are read.)
                 Starting containers failed with: {ex.GetType().Name}: {ex.Message}
                 """, ex);
        }
    }

    private static async Task<EvidenceServices> StartContainersAsync()
    {
        const ushort managementPort = 15672;
        var postgres = new PostgreSqlBuilder("postgres:15")
            .WithDatabase("evidence").WithUsername("evidence").WithPassword("evidence")
            .WithCommand("-c", "max_connections=300")
            .Build();
        var rabbitMq = new RabbitMqBuilder("rabbitmq:3-management")
            .WithUsername("evidence").WithPassword("evidence")
            .WithPortBinding(managementPort, assignRandomHostPort: true)
            .Build();
        // Containers live as long as the test process; Testcontainers' reaper removes them after it.
        await Task.WhenAll(postgres.StartAsync(), rabbitMq.StartAsync());
        var management = new Uri($"http://{rabbitMq.Hostname}:{rabbitMq.GetMappedPublicPort(managementPort)}/");
        return new EvidenceServices(postgres.GetConnectionString(), new Uri(rabbitMq.GetConnectionString()), management);
    }
}
