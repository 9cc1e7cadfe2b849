using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// The real worker as its own process, as it runs in production, so a test can stop it, kill it
/// in the middle of its work and start it again.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private WorkerProcess(Process process) => this.process = process;

    /// <summary>What the worker wrote so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    public bool HasExited => process.HasExited;

    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var path = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WorkerAssembly").Value!;
        if (!File.Exists(path))
            throw new InvalidOperationException($"The worker is not built at {path}; build the solution first.");
        var start = new ProcessStartInfo("dotnet", [path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Test";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Every catch-up, for failure messages.
        start.Environment["Logging__LogLevel__Evidence"] = "Debug";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var worker = new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("The worker did not start."));
        worker.process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        worker.process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Ends the process at once, as a crash would: no draining, no graceful shutdown.</summary>
    public void Kill()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }
}
