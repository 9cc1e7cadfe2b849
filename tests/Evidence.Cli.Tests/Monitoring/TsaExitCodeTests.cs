namespace Evidence.Cli.Tests.Monitoring;

/// <summary>The built <c>evidence tsa</c> on bad input: exit code 2, one line saying what is wrong on standard error, nothing on standard output.</summary>
public class TsaExitCodeTests
{
    private static readonly string Datasets = Path.Combine(AppContext.BaseDirectory, "Reference", "tsa", "datasets");

    private static (int Exit, string Output, string Error) Evidence(params string[] args) => EvidenceProgram.Run(args);

    private static string[] Binary(params string[] changes)
    {
        var options = new Dictionary<string, string?>
        {
            ["--data"] = Path.Combine(Datasets, "bcg.csv"), ["--measure"] = "RR", ["--alpha"] = "0.05", ["--beta"] = "0.2",
            ["--pc"] = "0.0091", ["--rrr"] = "0.5", ["--heterogeneity"] = "D2", ["--spending"] = "OBF",
        };
        for (var i = 0; i < changes.Length; i += 2)
            options[changes[i]] = changes[i + 1];
        return ["tsa", .. options.Where(o => o.Value is not null).SelectMany(o => new[] { o.Key, o.Value! })];
    }

    public static TheoryData<string[], string> BadInput => new()
    {
        { Binary("--alpha", null!), "--alpha is required" },
        { Binary("--alpha", "1.5"), "--alpha must be between 0 and 1 (exclusive), not 1.5" },
        { Binary("--alpha", "five"), "--alpha must be a number, not 'five'" },
        { Binary("--beta", "0"), "--beta must be between 0 and 1 (exclusive), not 0" },
        { Binary("--measure", "SMD"), "--measure must be RR, OR, RD or MD, not 'SMD'" },
        { Binary("--spending", "Haybittle"), "--spending must be OBF or Pocock, not 'Haybittle'" },
        { Binary("--heterogeneity", "tau"), "--heterogeneity must be D2, I2, none or a fraction in [0, 1), not 'tau'" },
        { Binary("--heterogeneity", "1"), "--heterogeneity: a heterogeneity fraction must be at least 0 and below 1, not 1" },
        { Binary("--rrr", null!), "--rrr is required" },
        { Binary("--delta", "3"), "RR is binary: give --pc and --rrr, not --delta" },
        { Binary("--measure", "MD"), "MD is continuous: give --delta and --sd, not --pc" },
        { Binary("--pc", "1.2"), "--pc (the control-group risk) must be between 0 and 1 (exclusive), not 1.2" },
        { Binary("--order", "decade"), "bcg.csv, column 'decade': is missing from the header" },
        { Binary("--data", "/nonexistent/trials.csv"), "trials.csv: file not found" },
        { Binary("--t", "0.5,1"), "--t goes with --boundaries; a full analysis takes its information from --data" },
        { ["tsa", "--boundaries", "--t", "0.5,1", "--alpha", "0.05", "--spending", "OBF", "--measure", "RR"], "--boundaries takes --t, --alpha, --spending and --format, not --measure" },
        { ["tsa", "--boundaries", "--alpha", "0.05", "--spending", "OBF"], "--t is required" },
        { ["tsa", "--boundaries", "--t", "0.5,x", "--alpha", "0.05", "--spending", "OBF"], "--t must be a number, not 'x'" },
        { ["tsa", "--boundaries", "--t", "0.5,-1", "--alpha", "0.05", "--spending", "OBF"], "--t: information fraction 2 must be a number of at least 0, not -1" },
        { ["tsa", "--boundaries", "--t", "0.5,1", "--alpha", "0", "--spending", "OBF"], "--alpha must be between 0 and 1 (exclusive), not 0" },
        { ["tsa", "--boundaries", "--t", "0.5,1", "--alpha", "0.05", "--spending", "OBF", "--format", "xml"], "--format must be json or table, not 'xml'" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void BadInput_Should_ExitWith2_AndSayWhy(string[] args, string reason)
    {
        var (exit, output, error) = Evidence(args);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith($"evidence tsa: {reason}\n", error.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n", StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnusableTrial_Should_NameItsRowAndColumn()
    {
        var path = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "study,ai,bi,ci,di\nA,1,10,2,10\nB,-1,10,2,10\n");
        try
        {
            var (exit, output, error) = Evidence(Binary("--data", path));

            Assert.Equal(2, exit);
            Assert.Empty(output);
            Assert.Equal($"evidence tsa: {Path.GetFileName(path)}, row 2, column 'ai': must not be negative (study 'B')", error.TrimEnd());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
