using Evidence.Cli.Common;

namespace Evidence.Cli.Tests;

/// <summary>Every command explains itself: <c>--help</c> lists each of its options with a description.</summary>
public class HelpTests
{
    public static TheoryData<string, string[]> Commands => new()
    {
        { "analyze", ["--data", "--measure", "--method", "--test", "--subgroup", "--order", "--moderator", "--format"] },
        { "tsa", ["--data", "--measure", "--order", "--alpha", "--beta", "--pc", "--rrr", "--delta", "--sd", "--heterogeneity", "--spending", "--fractions", "--format"] },
        { "import", ["--api", "--review", "--key", "--outcomes", "--trials", "--corrections", "--title", "--question"] },
        { "report", ["--api", "--review", "--key", "--out", "--timeout"] },
        { "rebuild", ["--api", "--review", "--key"] },
    };

    private static async Task<(int Exit, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        var exit = await EvidenceCommandLine.RunAsync(args, output, TextWriter.Null, default);
        return (exit, output.ToString());
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_Should_DescribeEveryOption(string command, string[] options)
    {
        var (exit, output) = await Run(command, "--help");

        Assert.Equal(0, exit);
        Assert.Contains($"evidence {command} [OPTIONS]", output, StringComparison.Ordinal);
        foreach (var option in options)
        {
            var line = output.Split('\n').SingleOrDefault(l => l.Contains($"{option} <", StringComparison.Ordinal));
            Assert.True(line is not null, $"{option} is not listed:\n{output}");
            Assert.Matches($@"{option} <[A-Z_]+>\s+(\S+\s+)?\S+ \S+", line);
        }
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public async Task Help_Should_ListTheCommands()
    {
        var (exit, output) = await Run("--help");

        Assert.Equal(0, exit);
        foreach (var command in new[] { "analyze", "tsa", "import", "report", "rebuild" })
            Assert.Contains(command, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analyze", "--colour", "red")]
    [InlineData("analyze", "--data")]
    [InlineData("rebuild", "--review", "r")]
    [InlineData("frobnicate")]
    [InlineData]
    public async Task WrongCommandLine_Should_ExitWith2(params string[] args)
    {
        var (exit, output) = await Run(args);

        Assert.Equal(2, exit);
        Assert.Empty(output);
    }
}
