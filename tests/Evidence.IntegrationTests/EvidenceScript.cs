using System.Diagnostics;

namespace Evidence.IntegrationTests;

/// <summary>The project's own script, <c>./evidence.sh</c>, run as an operator runs it.</summary>
public static class EvidenceScript
{
    /// <summary>
    /// Runs <c>./evidence.sh ARGS</c> from the repository root with <paramref name="environment"/>
    /// set (a null value removes the variable); returns its standard output, or fails with
    /// <paramref name="hint"/> and everything it printed when it exits with an error.
    /// </summary>
    public static async Task<string> RunAsync(string[] args, IReadOnlyDictionary<string, string?>? environment = null, string? hint = null)
    {
        var start = new ProcessStartInfo("/bin/bash", [Path.Combine(RepositoryRoot.Path, "evidence.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        // Both streams are read at once, so neither can fill its pipe and stall the script.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"./evidence.sh {string.Join(' ', args)} failed ({process.ExitCode}){hint}:\n{await output}{await errors}");
        return await output;
    }
}
