using System.Text.Json;
using Evidence.Cli.Common;

namespace Evidence.Cli.Tests;

public class AnalyzeCommandTests
{
    private static readonly string Reference = Path.Combine(AppContext.BaseDirectory, "Reference");

    public static TheoryData<string> Cases =>
        new(Directory.GetFiles(Path.Combine(Reference, "cases"), "*.json").Select(Path.GetFileNameWithoutExtension).Order()!);

    private static async Task<(int Exit, string Output)> Analyze(params string[] args)
    {
        var output = new StringWriter();
        var exit = await EvidenceCommandLine.InvokeAsync(["analyze", .. args], output, TextWriter.Null, default);
        return (exit, output.ToString());
    }

    private static string[] Arguments(JsonElement settings, string data)
    {
        var args = new List<string> { "--data", data, "--format", "json" };
        foreach (var property in settings.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
                args.AddRange(property.Value.EnumerateArray().SelectMany(m => new[] { "--moderator", m.GetString()! }));
            else
                args.AddRange([$"--{property.Name}", property.Value.GetString()!]);
        }
        return [.. args];
    }

    /// <summary>Every key path of a JSON value, arrays by their first element.</summary>
    private static SortedSet<string> Keys(JsonElement e, string path = "$")
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                keys.Add($"{path}.{p.Name}");
                keys.UnionWith(Keys(p.Value, $"{path}.{p.Name}"));
            }
        }
        else if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0)
            keys.UnionWith(Keys(e[0], path + "[]"));
        return keys;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Json_Should_HaveExactlyTheKeysOfTheReference_AndItsEstimate(string name)
    {
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Reference, "cases", name + ".json"))).RootElement;
        var expected = reference.GetProperty("expected");
        var data = Path.Combine(Reference, "datasets", reference.GetProperty("dataset").GetString()!);

        var (exit, output) = await Analyze(Arguments(reference.GetProperty("settings"), data));
        var actual = JsonDocument.Parse(output).RootElement;

        Assert.Equal(0, exit);
        Assert.Equal(Keys(expected), Keys(actual));
        var field = expected.TryGetProperty("estimate", out var estimate) ? "estimate" : "tau2";
        var want = (field == "estimate" ? estimate : expected.GetProperty("tau2")).GetDouble();
        Assert.Equal(want, actual.GetProperty(field).GetDouble(), 1e-6 * Math.Max(1, Math.Abs(want)));
    }

    [Fact]
    public async Task Table_Should_ReportTheNaturalScale_AndDrawAForestPlot()
    {
        var (exit, output) = await Analyze("--data", Path.Combine(Reference, "datasets", "bcg.csv"), "--measure", "RR", "--method", "REML", "--subgroup", "alloc");

        Assert.Equal(0, exit);
        Assert.Contains("(natural scale)", output, StringComparison.Ordinal);
        Assert.Contains("Q-profile", output, StringComparison.Ordinal);
        Assert.Contains("prediction interval", output, StringComparison.Ordinal);
        Assert.Contains("■", output, StringComparison.Ordinal);
        Assert.Contains("test for subgroup differences", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,10,2,30,9,2,30\nB,11,-1,30,9,2,30\n", "row 2, column 'sd1i'")]
    [InlineData("study,m1i,sd1i,n1i,m2i,sd2i\nA,10,2,30,9,2\n", "column 'n2i': is missing")]
    [InlineData("study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,10,2,30,9,two,30\n", "row 1, column 'sd2i'")]
    public async Task BadFile_Should_NameRowAndColumn(string csv, string where)
    {
        var path = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, csv);
        try
        {
            var ex = await Assert.ThrowsAsync<CsvException>(() => Analyze("--data", path, "--measure", "MD", "--method", "DL"));
            Assert.Contains(where, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string WriteTemp(string csv)
    {
        var path = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, csv);
        return path;
    }

    private static string BcgWith(Func<string[], IEnumerable<string>> edit) =>
        WriteTemp(string.Join('\n', edit(File.ReadAllLines(Path.Combine(Reference, "datasets", "bcg.csv")))) + "\n");

    [Theory]
    [InlineData("RR", "REML", null)]
    [InlineData("OR", "MH", null)]
    [InlineData("RR", "REML", "ablat")]
    public async Task HeaderOnlyFile_Should_BeRejectedWithOneLine(string measure, string method, string? moderator)
    {
        var path = BcgWith(lines => [lines[0], ""]);
        try
        {
            string[] args = ["--data", path, "--measure", measure, "--method", method, "--format", "json"];
            var ex = await Assert.ThrowsAsync<CsvException>(() => Analyze(moderator is null ? args : [.. args, "--moderator", moderator]));
            Assert.Contains("no study rows", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RepeatedStudy_Should_NameItsOwnRowAndTheFirst()
    {
        // bcg.csv with its first study again as a 14th row, holding an impossible count.
        var path = BcgWith(lines => [.. lines, lines[1].Replace(",4,119,", ",4,-119,", StringComparison.Ordinal)]);
        try
        {
            var ex = await Assert.ThrowsAsync<CsvException>(() => Analyze("--data", path, "--measure", "RR", "--method", "REML"));
            Assert.Contains("row 14, column 'study': 'Aronson 1948' repeats the name of row 1", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RowNumbers_Should_CountBlankRows_AsTheFileShowsThem()
    {
        var path = WriteTemp("study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,10,2,30,9,2,30\n\nB,11,2,30,9,2,30\nC,11,-1,30,9,2,30\n");
        try
        {
            var ex = await Assert.ThrowsAsync<CsvException>(() => Analyze("--data", path, "--measure", "MD", "--method", "DL"));
            Assert.Contains("row 4, column 'sd1i'", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("normand1999.csv", "SMD", "MH", "MH pools OR, RR or RD from 2x2 tables, not SMD")]
    [InlineData("pritz1997.csv", "PLO", "MH", "MH pools OR, RR or RD from 2x2 tables, not PLO")]
    [InlineData("bcg.csv", "SMD", "MH", "MH pools OR, RR or RD from 2x2 tables, not SMD")]
    [InlineData("bcg.csv", "RR", "PETO", "PETO pools the odds ratio (OR or PETO) from 2x2 tables, not RR")]
    [InlineData("pritz1997.csv", "PR", "PETO", "PETO pools the odds ratio (OR or PETO) from 2x2 tables, not PR")]
    public async Task CountMethod_Should_NameTheMeasureItCannotPool(string dataset, string measure, string method, string message)
    {
        var data = Path.Combine(Reference, "datasets", dataset);

        var ex = await Assert.ThrowsAsync<UsageException>(() => Analyze("--data", data, "--measure", measure, "--method", method));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Arguments_Should_RejectUnknownOptionsAndValues()
    {
        var data = Path.Combine(Reference, "datasets", "bcg.csv");

        await Assert.ThrowsAsync<UsageException>(() => Analyze("--data", data, "--measure", "XX", "--method", "DL"));
        await Assert.ThrowsAsync<UsageException>(() => Analyze("--data", data, "--measure", "OR", "--method", "DL", "--colour", "red"));
        await Assert.ThrowsAsync<UsageException>(() => Analyze("--data", data, "--measure", "OR", "--method", "DL", "--test", "t"));
    }
}
