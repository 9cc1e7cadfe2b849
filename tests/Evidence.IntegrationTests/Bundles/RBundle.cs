using System.ComponentModel;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Evidence.Domain.Bundles;

namespace Evidence.IntegrationTests.Bundles;

/// <summary>Unzips a bundle into a folder of its own, runs <c>Rscript analysis.R</c> there and reads what it reproduced.</summary>
public static class RBundle
{
    private const string Install = "R with metafor and jsonlite is needed to run a bundle's analysis.R: ./evidence.sh test installs them (Debian packages r-base-core, r-cran-metafor, r-cran-jsonlite).";

    /// <summary>result.json and reproduced.json of the bundle in <paramref name="zip"/>.</summary>
    public static async Task<(JsonElement Result, JsonElement Reproduced)> RunAsync(byte[] zip)
    {
        var folder = Directory.CreateTempSubdirectory("evidence-bundle-").FullName;
        try
        {
            using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
                archive.ExtractToDirectory(folder);
            var start = new ProcessStartInfo("Rscript", AnalysisBundle.ScriptFile)
            {
                WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (Win32Exception e)
            {
                Assert.Fail($"Rscript could not be started ({e.Message}). {Install}");
                throw;
            }
            using (process)
            {
                var error = process.StandardError.ReadToEndAsync();
                var output = process.StandardOutput.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                await process.WaitForExitAsync(timeout.Token);
                var log = await error + await output;
                if (log.Contains("there is no package called", StringComparison.Ordinal))
                    Assert.Fail($"{log.Trim()}\n{Install}");
                Assert.True(process.ExitCode == 0, $"Rscript analysis.R exited with {process.ExitCode}:\n{log}");
            }
            return (Read(Path.Combine(folder, AnalysisBundle.ResultFile)), Read(Path.Combine(folder, AnalysisBundle.ReproducedFile)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static JsonElement Read(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
}
