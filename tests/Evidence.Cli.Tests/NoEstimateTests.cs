using System.Text.Json;
using Evidence.Cli.Common;

namespace Evidence.Cli.Tests;

/// <summary>Tables without a single event: metafor's rma.mh reports Q on 0 df and no estimate; so does analyze, saying why.</summary>
public sealed class NoEstimateTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"double-zero-{Guid.NewGuid():N}.csv");

    public NoEstimateTests() => File.WriteAllText(file, "study,ai,bi,ci,di\na,0,10,0,12\nb,0,20,0,18\nc,0,5,0,7\n");

    public void Dispose() => File.Delete(file);

    private async Task<(int Exit, string Output)> Analyze(string format)
    {
        var output = new StringWriter();
        var exit = await EvidenceCommandLine.InvokeAsync(["analyze", "--data", file, "--measure", "OR", "--method", "MH", "--format", format], output, TextWriter.Null, default);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task MhWithEveryTableDoubleZero_Should_ReportQdfZero_AndWhyThereIsNoEstimate()
    {
        var (exit, output) = await Analyze("json");

        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(3, json.GetProperty("k").GetInt32());
        Assert.Equal(0, json.GetProperty("q_df").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("estimate").ValueKind);
        Assert.False(json.GetProperty("estimable").GetBoolean());
        Assert.Contains("No table has an event in either group", json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task TheTable_Should_SayWhyThereIsNoEstimate()
    {
        var (exit, output) = await Analyze("table");

        Assert.Equal(0, exit);
        Assert.Contains("No estimate (k = 3): No table has an event in either group", output);
        Assert.Contains("Q(0) = 0.0000", output);
    }
}
