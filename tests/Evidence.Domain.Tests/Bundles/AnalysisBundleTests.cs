using System.Security.Cryptography;
using System.Text.Json;
using Evidence.Domain.Bundles;
using Evidence.Domain.Outcomes;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests.Bundles;

/// <summary>The bundle's files written from data and settings alone, and the events that led to a version.</summary>
public sealed class AnalysisBundleTests
{
    private static readonly Provenance By = new("alice", new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), "c", "why");
    private static readonly AnalysisPlan Rr = new("RR", "REML", "knha", "disease", AnalysisPlan.DefaultOrder);

    private static TrialRecorded Recorded(string trial, string outcome) => new(trial, "r", 2020, "s", null,
        new Dictionary<string, string> { ["disease"] = "SLE" },
        new Dictionary<string, IReadOnlyDictionary<string, double>> { [outcome] = new Dictionary<string, double> { ["ai"] = 1, ["bi"] = 2, ["ci"] = 3, ["di"] = 4 } }, By);

    [Fact]
    public void Data_Should_NameStudyYearTheMeasuresColumnsTheSubgroupAndModerators_WithNumbersThatRoundTrip()
    {
        var settings = new BundleSettings("RR", "REML", "knha", "disease", "year", RowsInCumulativeOrder: true, ["dose"]);
        var studies = new[]
        {
            new BundleStudy("a", 2019, new Dictionary<string, double> { ["di"] = 4, ["ci"] = 3, ["bi"] = 0.1 + 0.2, ["ai"] = 1 }, "SLE", "2019", new Dictionary<string, double> { ["dose"] = 1.5 }),
            new BundleStudy("b, \"quoted\"", 2021, new Dictionary<string, double> { ["ai"] = 5, ["bi"] = 6, ["ci"] = 7, ["di"] = 8 }, null, "2021", new Dictionary<string, double> { ["dose"] = 3 }),
        };

        var lines = AnalysisBundle.Data(studies, settings).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal(["study,year,ai,bi,ci,di,disease,dose", "a,2019,1,0.30000000000000004,3,4,SLE,1.5", "\"b, \"\"quoted\"\"\",2021,5,6,7,8,(none),3"], lines);
    }

    [Fact]
    public void Manifest_Should_HoldTheHashOfEveryOtherFile_AndTheOrigin()
    {
        var cause = new SnapshotCause(Guid.NewGuid(), "TrialRecorded", 7, "a", "alice", By.At, null);
        var files = AnalysisBundle.Files(
            [new BundleStudy("a", 2020, new Dictionary<string, double> { ["ai"] = 1, ["bi"] = 2, ["ci"] = 3, ["di"] = 4 })],
            new BundleSettings("RR", "REML", "z", null, "year", true, []), JsonDocument.Parse("""{ "k": 1 }""").RootElement, [],
            new BundleOrigin("1.0", "hash", "r", "response", 3, cause, "stored"));

        Assert.Equal([AnalysisBundle.DataFile, AnalysisBundle.SettingsFile, AnalysisBundle.ScriptFile, AnalysisBundle.ResultFile, AnalysisBundle.EventsFile, AnalysisBundle.ManifestFile],
            files.Select(f => f.Name));
        var manifest = JsonDocument.Parse(files[^1].Content).RootElement;
        Assert.Equal(3, manifest.GetProperty("version").GetInt64());
        Assert.Equal(7, manifest.GetProperty("cause").GetProperty("sequence").GetInt64());
        Assert.Equal("hash", manifest.GetProperty("input_hash").GetString());
        foreach (var file in files.SkipLast(1))
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file.Content)), manifest.GetProperty("files").GetProperty(file.Name).GetString());
        Assert.Contains("library(metafor)", AnalysisBundle.Script, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_Should_BeTheOutcomesOwnAndThoseOfTrialsWithDataForIt_UpToTheCause()
    {
        LoggedEvent[] log =
        [
            new(Guid.NewGuid(), 1, By.At, new ReviewCreated("r", "t", "q", null, By)),
            new(Guid.NewGuid(), 2, By.At, new OutcomeDefined("r", "response", "Response", "binary", Rr, By)),
            new(Guid.NewGuid(), 3, By.At, new OutcomeDefined("r", "other", "Other", "binary", Rr, By)),
            new(Guid.NewGuid(), 4, By.At, Recorded("a", "response")),
            new(Guid.NewGuid(), 5, By.At, Recorded("b", "other")),
            new(Guid.NewGuid(), 6, By.At, new TrialExcluded("a", "r", By)),
            new(Guid.NewGuid(), 7, By.At, new TrialExcluded("b", "r", By)),
            new(Guid.NewGuid(), 8, By.At, new TrialReinstated("a", "r", By)),
        ];

        var events = SnapshotBundle.Events("response", 7, log);

        Assert.Equal([2L, 4, 6], events.Select(e => e.Sequence));
        Assert.Equal(["OutcomeDefined", "TrialRecorded", "TrialExcluded"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(("alice", "why"), (e.Who, e.Why)));
    }
}
