using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Evidence.Benchmarks;

// Runs the benchmarks, then the same work in R metafor (when Rscript is installed) and prints the ratios.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(RemlFit).Assembly).Run(args).ToList();
// A case run by more than one job (--job dry beside a benchmark's own job) is compared as measured
// by the job that took the most measurements.
var ours = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null)
    .GroupBy(r => $"{r.BenchmarkCase.Descriptor.Type.Name} k={r.BenchmarkCase.Parameters["K"]}")
    .ToDictionary(g => g.Key, g => g.MaxBy(r => r.ResultStatistics!.N)!.ResultStatistics!.Median / 1e6);

var script = Path.Combine(AppContext.BaseDirectory, "metafor-bench.R");
if (ours.Count == 0 || !File.Exists("/usr/bin/Rscript"))
{
    Console.WriteLine("Rscript not found (apt-get install r-cran-metafor): no comparison with metafor.");
    return;
}
var r = Process.Start(new ProcessStartInfo("Rscript", [script]) { RedirectStandardOutput = true })!;
var metafor = r.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
    .Select(line => line.Split('\t')).Where(p => p.Length == 2)
    .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
r.WaitForExit();

Console.WriteLine();
Console.WriteLine("| work | Evidence (median ms) | metafor 3.8-1 (median ms) | metafor / Evidence |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var (name, ms) in ours.OrderBy(o => o.Key, StringComparer.Ordinal))
{
    var estimated = $"{name} (estimated)";
    var (theirs, label) = metafor.TryGetValue(name, out var m) ? (m, name) : metafor.TryGetValue(estimated, out var e) ? (e, estimated) : (double.NaN, name);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {ms:0.0000} | {(double.IsNaN(theirs) ? "no metafor figure" : theirs.ToString("0.00", CultureInfo.InvariantCulture))} | {(double.IsNaN(theirs) ? "" : $"{theirs / ms:0}x")} |"));
}
