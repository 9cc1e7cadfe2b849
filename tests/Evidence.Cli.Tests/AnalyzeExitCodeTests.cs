namespace Evidence.Cli.Tests;

/// <summary>The built <c>evidence</c> program: on bad input exit code 2 and the reason on standard error, nothing on standard output; its report readable when redirected.</summary>
public class AnalyzeExitCodeTests
{
    private static readonly string Datasets = Path.Combine(AppContext.BaseDirectory, "Reference", "datasets");

    private static (int Exit, string Output, string Error) Evidence(params string[] args) => EvidenceProgram.Run(args);

    [Fact]
    public void HeaderOnlyFile_Should_ExitWith2_AndOneLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, File.ReadLines(Path.Combine(Datasets, "bcg.csv")).First() + "\n");
        try
        {
            var (exit, output, error) = Evidence("analyze", "--data", path, "--measure", "RR", "--method", "REML", "--format", "json");

            Assert.Equal(2, exit);
            Assert.Empty(output);
            Assert.Equal($"evidence analyze: {Path.GetFileName(path)}: has no study rows under its header; a meta-analysis needs at least one study", error.TrimEnd());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CountMethodWithAnotherMeasure_Should_ExitWith2_NamingTheMismatch()
    {
        var (exit, output, error) = Evidence("analyze", "--data", Path.Combine(Datasets, "normand1999.csv"), "--measure", "SMD", "--method", "MH");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith("evidence analyze: MH pools OR, RR or RD from 2x2 tables, not SMD\n", error, StringComparison.Ordinal);
        Assert.DoesNotContain("missing", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TableWhenRedirected_Should_BePlainText()
    {
        var (exit, output, error) = Evidence("analyze", "--data", Path.Combine(Datasets, "bcg.csv"), "--measure", "RR", "--method", "REML", "--format", "table");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("Aronson 1948", output, StringComparison.Ordinal);
        Assert.Contains("◆", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output);
    }
}
