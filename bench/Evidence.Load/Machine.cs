using System.Diagnostics;
using System.Globalization;

namespace Evidence.Load;

/// <summary>The machine's own ceiling for durable single-row commits (pgbench), and the hosts' CPU and memory.</summary>
public static class Machine
{
    /// <summary>
    /// Transactions per second of pgbench's single-row insert with <paramref name="clients"/> clients
    /// for <paramref name="seconds"/> s, on a table of its own in the Evidence database.
    /// </summary>
    public static double? PgbenchTps(int clients, int seconds)
    {
        const string pgbench = "/usr/lib/postgresql/15/bin/pgbench";
        if (!File.Exists(pgbench))
            return null;
        var script = Path.GetTempFileName();
        File.WriteAllText(script, "insert into load_commit_ceiling(at) values (now());\n");
        Run("/usr/lib/postgresql/15/bin/psql", "-q -c \"create table if not exists load_commit_ceiling(id bigserial primary key, at timestamptz)\"");
        var output = Run(pgbench, string.Create(CultureInfo.InvariantCulture, $"-n -c {clients} -j {Math.Min(clients, 2)} -T {seconds} -f {script}"));
        File.Delete(script);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits until the machine spends less than a tenth of one core over two seconds (a worker's first
    /// reconciliation of a large database can take a while), or until <paramref name="limit"/>.
    /// </summary>
    public static async Task<(bool Quiet, TimeSpan Waited)> WaitQuietAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var before = MachineCpu();
            await Task.Delay(TimeSpan.FromSeconds(2));
            if (MachineCpu().Busy - before.Busy < 0.2)
                return (true, clock.Elapsed);
        }
        return (false, clock.Elapsed);
    }

    /// <summary>The machine's load average over 1 and 5 minutes, from /proc/loadavg ("2.10, 3.52").</summary>
    public static string LoadAverage()
    {
        var fields = File.ReadAllText("/proc/loadavg").Split(' ');
        return $"{fields[0]}, {fields[1]}";
    }

    /// <summary>The database's size and its events, so runs on a small and a large store are told apart.</summary>
    public static string DatabaseSize()
    {
        var schema = Environment.GetEnvironmentVariable("Marten__Schema") is { Length: > 0 } s && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? s : "evidence";
        return "database " + Run("/usr/lib/postgresql/15/bin/psql",
            $"-Atc \"select pg_size_pretty(pg_database_size(current_database())) || ', ' || (select count(*) from {schema}.mt_events) || ' events, ' || (select count(*) from {schema}.mt_doc_review) || ' reviews in {schema}'\"").Trim();
    }

    /// <summary>CPU seconds the whole machine has spent busy and in total (all cores) so far, from /proc/stat.</summary>
    public static (double Busy, double Total) MachineCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture) / 100).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return (total - idle, total);
    }

    /// <summary>
    /// CPU seconds so far per part of the running system, from /proc: the API and the worker (by their
    /// command lines), PostgreSQL (every backend and helper), RabbitMQ (the Erlang VM and its helpers)
    /// and this harness. What the machine spent beyond them is the kernel (loopback networking, disk)
    /// and anything else; the caller derives it from <see cref="MachineCpu"/>.
    /// </summary>
    public static Dictionary<string, double> CpuByPart()
    {
        var parts = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["API"] = 0, ["worker"] = 0, ["PostgreSQL"] = 0, ["RabbitMQ"] = 0, ["harness"] = 0,
        };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                var part = PartOf(pid, File.ReadAllText($"{dir}/cmdline").Replace('\0', ' '));
                if (part is not null && Usage(pid) is { } usage)
                    parts[part] += usage.CpuSeconds;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read.
            }
        }
        return parts;
    }

    private static string? PartOf(int pid, string commandLine) =>
        pid == Environment.ProcessId ? "harness"
        : commandLine.Contains("Evidence.Api", StringComparison.Ordinal) ? "API"
        : commandLine.Contains("Evidence.Worker", StringComparison.Ordinal) ? "worker"
        : commandLine.StartsWith("postgres", StringComparison.Ordinal) || commandLine.Contains("/bin/postgres", StringComparison.Ordinal) ? "PostgreSQL"
        : commandLine.Contains("beam.smp", StringComparison.Ordinal) || commandLine.Contains("epmd", StringComparison.Ordinal)
          || commandLine.Contains("erl_child_setup", StringComparison.Ordinal) || commandLine.Contains("inet_gethost", StringComparison.Ordinal) ? "RabbitMQ"
        : null;

    /// <summary>Resident memory (MiB) and CPU seconds so far of a process, from /proc.</summary>
    public static (double MiB, double CpuSeconds)? Usage(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kb = double.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            return (kb / 1024, ticks / 100);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PGHOST"] = "127.0.0.1";
        start.Environment["PGPORT"] = "55432";
        start.Environment["PGUSER"] = "evidence";
        start.Environment["PGPASSWORD"] = "evidence";
        start.Environment["PGDATABASE"] = "evidence";
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return text;
    }
}
