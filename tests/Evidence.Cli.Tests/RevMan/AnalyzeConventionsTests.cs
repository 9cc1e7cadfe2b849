using System.Text.Json;
using Evidence.Cli.Common;

namespace Evidence.Cli.Tests.RevMan;

/// <summary><c>evidence analyze --conventions</c>: RevMan 5's pooling on request, metafor's otherwise.</summary>
public sealed class AnalyzeConventionsTests
{
    private const string Aspirin = """
        study,ai,bi,ci,di
        MRC-1,49,566,67,557
        CDP,44,714,64,707
        MRC-2,102,730,126,724
        GASP,32,285,38,271
        PARIS,85,725,52,354
        AMIS,246,2021,219,2038
        ISIS-2,1570,7017,1720,6880
        """;

    private static async Task<(int Exit, string Output)> Analyze(string data, params string[] args)
    {
        var output = new StringWriter();
        var exit = await EvidenceCommandLine.InvokeAsync(["analyze", "--data", data, "--measure", "OR", "--method", "MH", .. args], output, TextWriter.Null, default);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Analyze_Should_PoolWithRevMan5sConventions_WhenAsked()
    {
        var data = Path.Combine(Directory.CreateTempSubdirectory("evidence-").FullName, "aspirin.csv");
        await File.WriteAllTextAsync(data, Aspirin);

        var (exit, output) = await Analyze(data, "--conventions", "revman5", "--format", "json");
        var (_, table) = await Analyze(data, "--conventions", "revman5");
        var bad = await Assert.ThrowsAsync<UsageException>(() => Analyze(data, "--conventions", "cochrane"));

        Assert.Equal(0, exit);
        var estimate = JsonDocument.Parse(output).RootElement.GetProperty("back_transformed").GetProperty("estimate").GetDouble();
        Assert.Equal(0.8968655609130709, estimate, 1e-12);
        Assert.Contains("RevMan 5 conventions", table, StringComparison.Ordinal);
        Assert.Contains("--conventions must be metafor or revman5", bad.Message, StringComparison.Ordinal);
    }
}
