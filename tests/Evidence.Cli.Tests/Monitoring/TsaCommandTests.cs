using System.Text.Json;
using Evidence.Cli.Common;
using Evidence.Statistics.Tests.Sequential;

namespace Evidence.Cli.Tests.Monitoring;

/// <summary>
/// <c>evidence tsa --format json</c> on every TSA reference case, full and boundary-only: exactly the
/// case's <c>expected</c> keys and shape, every field within the case's tolerance.
/// </summary>
public class TsaCommandTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Reference", "tsa");

    public static TheoryData<string> Cases =>
        new(Directory.GetFiles(Path.Combine(Root, "cases"), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!);

    internal static async Task<(int Exit, string Output)> Tsa(params string[] args)
    {
        var output = new StringWriter();
        var exit = await EvidenceCommandLine.InvokeAsync(["tsa", .. args], output, TextWriter.Null, default);
        return (exit, output.ToString());
    }

    /// <summary>The command line a case's settings make, each value as the case writes it.</summary>
    internal static string[] Arguments(JsonElement reference)
    {
        var settings = reference.GetProperty("settings");
        string Text(string key) => settings.GetProperty(key) is var v && v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
        var args = new List<string> { "--alpha", Text("alpha"), "--spending", Text("spending"), "--format", "json" };
        if (!reference.TryGetProperty("dataset", out var dataset))
            return [.. args, "--boundaries", "--t", string.Join(',', settings.GetProperty("t").EnumerateArray().Select(t => t.GetRawText()))];
        args.AddRange(["--data", Path.Combine(Root, "datasets", dataset.GetString()!), "--measure", Text("measure"), "--beta", Text("beta"), "--heterogeneity", Text("heterogeneity")]);
        if (Text("order") == "year")
            args.AddRange(["--order", "year"]);
        foreach (var key in new[] { "pc", "rrr", "delta", "sd" }.Where(k => settings.TryGetProperty(k, out _)))
            args.AddRange([$"--{key}", Text(key)]);
        return [.. args];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Json_Should_MatchTheReferenceCase_OnEveryField(string name)
    {
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "cases", name + ".json"))).RootElement;

        var (exit, output) = await Tsa(Arguments(reference));

        Assert.Equal(0, exit);
        var mismatches = TsaComparer.Compare(reference, JsonDocument.Parse(output).RootElement);
        Assert.True(mismatches.Count == 0, $"{name}: {mismatches.Count} field(s) differ:\n{string.Join('\n', mismatches.Take(40))}");
    }

    [Fact]
    public async Task Values_Should_BeCaseInsensitive()
    {
        var (exit, output) = await Tsa(
            "--data", Path.Combine(Root, "datasets", "bcg.csv"), "--measure", "rr", "--order", "year", "--alpha", "0.05", "--beta", "0.2",
            "--pc", "0.0091", "--rrr", "0.5", "--heterogeneity", "d2", "--spending", "obf", "--format", "JSON");

        Assert.Equal(0, exit);
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "cases", "bcg-rr-d2-obf.json"))).RootElement;
        Assert.Empty(TsaComparer.Compare(reference, JsonDocument.Parse(output).RootElement));
    }

    [Fact]
    public async Task WithoutOrder_Should_KeepFileOrder()
    {
        var (exit, output) = await Tsa(
            "--data", Path.Combine(Root, "datasets", "bcg.csv"), "--measure", "OR", "--alpha", "0.05", "--beta", "0.2",
            "--pc", "0.0091", "--rrr", "0.5", "--heterogeneity", "none", "--spending", "Pocock", "--format", "json");

        Assert.Equal(0, exit);
        var studies = JsonDocument.Parse(output).RootElement.GetProperty("looks").EnumerateArray().Select(l => l.GetProperty("study").GetString()!).ToList();
        var file = File.ReadLines(Path.Combine(Root, "datasets", "bcg.csv")).Skip(1).Select(l => l.Split(',')[0].Trim('"')).ToList();
        Assert.Equal(file, studies);
    }

    [Fact]
    public async Task Table_Should_ShowTheRis_AndEveryLook()
    {
        var (exit, output) = await Tsa(
            "--data", Path.Combine(Root, "datasets", "normand1999.csv"), "--measure", "MD", "--alpha", "0.05", "--beta", "0.2",
            "--delta", "10", "--sd", "30", "--heterogeneity", "0.5", "--spending", "OBF");

        Assert.Equal(0, exit);
        Assert.Contains("Required information size 282.56, adjusted 565.119", output, StringComparison.Ordinal);
        Assert.Contains("post_final", output, StringComparison.Ordinal);
        Assert.Contains("[-37.8525, -2.14746]", output, StringComparison.Ordinal);
        Assert.Contains("first crosses its monitoring boundary at look 1 (Edinburgh", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoundariesTable_Should_ListEachLook()
    {
        var (exit, output) = await Tsa("--boundaries", "--t", "0.2,0.4,0.6,0.8,1", "--alpha", "0.05", "--spending", "OBF");

        Assert.Equal(0, exit);
        foreach (var boundary in new[] { "4.8769", "3.3570", "2.6803", "2.2898", "2.0310" })
            Assert.Contains(boundary, output, StringComparison.Ordinal);
    }
}
