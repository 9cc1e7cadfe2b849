using Evidence.Cli.Importing;

namespace Evidence.Cli.Tests;

/// <summary>The import sends a review's trials one batch per publication year, oldest first.</summary>
public class ImportBatchesTests
{
    private static TrialRequest Trial(int n, int year) =>
        new($"t{n}", year, "src", new Dictionary<string, string>(), new Dictionary<string, Dictionary<string, double>>());

    [Fact]
    public void Batches_Should_HoldOneYearEach_OldestFirst_AndSplitAYearOfMoreThanAThousand()
    {
        var trials = Enumerable.Range(0, 1200).Select(n => Trial(n, 2020))
            .Concat([Trial(5000, 2018), Trial(5001, 2024), Trial(5002, 2018)]).ToList();

        var batches = ImportCommand.Batches(trials).ToList();

        Assert.Equal([2018, 2020, 2020, 2024], batches.Select(b => b.Year));
        Assert.Equal([2, 1000, 200, 1], batches.Select(b => b.Trials.Count));
        Assert.Equal(["t5000", "t5002"], batches[0].Trials.Select(t => t.Id));
    }
}
