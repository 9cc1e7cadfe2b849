using System.Diagnostics;

namespace Evidence.Cli.Tests;

/// <summary>The built <c>evidence</c> program, run as a user runs it: its exit code, standard output and standard error.</summary>
internal static class EvidenceProgram
{
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "evidence.exe" : "evidence"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        // Both streams are read at once, so neither can fill its pipe and stall the program.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
