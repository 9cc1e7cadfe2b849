using System.Text.Json;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>
/// Valid but extreme data (counts near the largest double) overflow the analysis to infinity or NaN.
/// JSON cannot hold either, and a snapshot that cannot be stored would stop the review's snapshots
/// for good; the analyzer stores such values as null instead.
/// </summary>
public class ExtremeValuesTests
{
    [Theory]
    [InlineData("proportion", "PLO", "xi", "ni")]
    [InlineData("binary", "RR", "ai", "ci")]
    public void ExtremeCounts_Should_GiveAStorableSnapshot_WithNullWhereTheNumbersOverflow(string dataType, string measure, string first, string second)
    {
        var log = new ReviewLog();
        long seq = 0;
        log.Apply(new ReviewCreated("ld-il2", "t", "q", null, Given.By), ++seq);
        log.Apply(Given.Outcome("o", dataType, measure), ++seq);
        foreach (var n in new[] { 1, 2, 3 })
        {
            var values = dataType == "binary"
                ? new Dictionary<string, double> { ["ai"] = 1e300, ["bi"] = 1e300 / n, ["ci"] = 1e300, ["di"] = 1e299 }
                : new Dictionary<string, double> { [first] = 1e300 / n, [second] = 1e300 };
            log.Apply(new TrialRecorded($"t{n}", "ld-il2", 2000 + n, "src", null, new Dictionary<string, string>(),
                new Dictionary<string, IReadOnlyDictionary<string, double>> { ["o"] = values }, Given.By), ++seq);
        }
        var analyzer = new OutcomeAnalyzer();
        var inputs = log.Inputs("o");

        var analyzed = analyzer.Analyze(inputs);
        var snapshot = SnapshotRules.Build(inputs, log.Hash("o"), new SnapshotCause(Guid.NewGuid(), "TrialRecorded", seq, "t3", "alice", Given.By.At, null), 3, analyzed, analyzer.EngineVersion);
        var json = JsonSerializer.Serialize(snapshot);

        Assert.Equal(3, analyzed.Summary.K);
        if (measure == "PLO")
            Assert.Null(analyzed.Summary.Estimate); // the weights overflow: the estimate is NaN, stored as null
        foreach (var value in new[] { analyzed.Summary.Estimate, analyzed.Summary.CiLower, analyzed.Summary.CiUpper, analyzed.Summary.Tau2, analyzed.Summary.I2 })
            Assert.True(value is null || double.IsFinite(value.Value));
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
    }
}
