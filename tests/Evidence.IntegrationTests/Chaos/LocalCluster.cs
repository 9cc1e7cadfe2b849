using System.Reflection;
using System.Text;
using Npgsql;

namespace Evidence.IntegrationTests.Chaos;

/// <summary>
/// The cluster of <c>./evidence.sh cluster</c> (three RabbitMQ nodes, two APIs, two workers) on a
/// PostgreSQL instance of its own, so restarting it disturbs no other test. Every piece is started,
/// stopped and killed through the script, as an operator would.
/// </summary>
public sealed class LocalCluster
{
    /// <summary>The APIs' addresses, as <c>cluster up</c> starts them.</summary>
    public static readonly Uri[] Apis = [new("http://127.0.0.1:5181"), new("http://127.0.0.1:5182")];

    /// <summary>The cluster's own database, through its superuser (the tests read the log and the documents directly).</summary>
    public const string Database = "Host=127.0.0.1;Port=55442;Database=evidence_cluster;Username=postgres;Password=postgres;Pooling=false;Timeout=5";

    public static string Root => RepositoryRoot.Path;

    /// <summary>The administrator key the script gives the APIs (generated once into .local/admin.key).</summary>
    public static string AdminKey => File.ReadAllText(Path.Combine(Root, ".local", "admin.key")).Trim();

    /// <summary>Runs <c>./evidence.sh cluster ARGS</c>; fails with its output when it fails.</summary>
    public static Task<string> RunAsync(params string[] args) => EvidenceScript.RunAsync(["cluster", .. args], new Dictionary<string, string?>
    {
        ["EVIDENCE_CLUSTER_POSTGRES"] = "own",
        // The test run built the hosts already, in its own configuration.
        ["EVIDENCE_CLUSTER_BUILD"] = "false",
        ["EVIDENCE_CONFIGURATION"] = typeof(LocalCluster).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value,
        // Clients write as fast as they can; the per-key limit would measure the limiter.
        ["RateLimit__PermitsPerSecond"] = "1000000",
        ["RateLimit__Burst"] = "1000000",
        ["EVIDENCE_ADMIN_KEY"] = null,
    }, "; it needs Debian's postgresql and rabbitmq-server (./evidence.sh services up installs them)");

    /// <summary>
    /// The API whose connection holds the async daemon's leadership (the forwarder), or null while none
    /// does: Marten's one-key advisory lock (objsubid 1), not the two-key idempotency turns (objsubid 2).
    /// </summary>
    public static async Task<int?> ForwarderAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(Database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
                where l.locktype = 'advisory' and l.objsubid = 1 and l.granted and a.datname = current_database() and a.application_name like 'evidence-api%'
                """, connection);
            var names = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                names.Add(reader.GetString(0));
            return names.Distinct().SingleOrDefault() is { } name ? int.Parse(name["evidence-api".Length..], System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    /// <summary>The node that leads the snapshot queue (a quorum queue), asked of the first node that answers.</summary>
    public static async Task<int> QueueLeaderAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("evidence-admin:evidence-admin")));
        foreach (var port in new[] { 55691, 55692, 55693 })
        {
            try
            {
                var queue = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/api/queues/%2F/evidence-snapshots")).RootElement;
                Assert.Equal("quorum", queue.GetProperty("type").GetString());
                var leader = queue.GetProperty("leader").GetString()!;
                return leader["evidence-c".Length] - '0';
            }
            catch (HttpRequestException)
            {
            }
        }
        throw new InvalidOperationException("No RabbitMQ node of the cluster answers on its management port.");
    }
}

/// <summary>The chaos test takes pieces of its cluster away, and loads the machine: it never runs beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosCollection
{
    public const string Name = "Chaos";
}
