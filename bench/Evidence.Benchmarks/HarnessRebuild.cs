using System.Text;
using BenchmarkDotNet.Attributes;
using Evidence.Domain;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;
using Marten;

namespace Evidence.Benchmarks;

/// <summary>
/// A rebuild's own work on one review of the load harness's rebuild scenario: K trials recorded one
/// by one into an outcome of RR by REML (bench/Evidence.Load/Api.cs), so K + 2 events and K versions.
/// No database and no HTTP: what is measured is the least CPU a rebuild of these events can take, and
/// so the most events per second a number of cores can rebuild (cores / (time / (K + 2))).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public abstract class HarnessReview
{
    private const string ReviewId = "rb";
    private static readonly Provenance By = new("harness", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "load");

    protected OutcomeAnalyzer Analyzer { get; } = new();

    protected List<LoggedEvent> Events { get; private set; } = [];

    /// <summary>The versions as a store gives them back: written as JSON and read again.</summary>
    protected Dictionary<string, Snapshot> Stored { get; private set; } = [];

    [Params(50, 100)]
    public int K { get; set; }

    /// <summary>The harness's 2x2 table of trial <paramref name="n"/> (bench/Evidence.Load/Api.cs).</summary>
    public static Dictionary<string, double> Table(int n) =>
        new() { ["ai"] = 5 + n % 17, ["bi"] = 20 + n % 11, ["ci"] = 4 + n % 13, ["di"] = 22 + n % 7 };

    /// <summary>The review's log: created, its outcome defined, then <paramref name="k"/> trials with the harness's 2x2 tables.</summary>
    public static List<LoggedEvent> Log(int k)
    {
        var review = Review.Create(new ReviewCreated(ReviewId, "t", "q", null, By));
        var outcome = ReviewDecider.Handle(review, new DefineOutcome("response", "Response", "binary", "RR", "REML", "z", null, null), By);
        var events = new List<LoggedEvent> { new(Guid.NewGuid(), 1, By.At, new ReviewCreated(ReviewId, "t", "q", null, By)), new(Guid.NewGuid(), 2, By.At, outcome) };
        for (var n = 1; n <= k; n++)
        {
            var data = Table(n);
            events.Add(new LoggedEvent(Guid.NewGuid(), events.Count + 1, By.At, new TrialRecorded($"t{n:0000}", ReviewId, 1990 + n % 30, "src", null,
                new Dictionary<string, string>(), new Dictionary<string, IReadOnlyDictionary<string, double>> { ["response"] = data }, By)));
        }
        return events;
    }

    [GlobalSetup]
    public void Setup()
    {
        Events = Log(K);
        var rebuild = new SnapshotRebuild(ReviewId, Analyzer);
        // The store's own serializer, as Evidence configures it (nothing connects to a database here).
        var store = new StoreOptions();
        store.ConfigureEvidence("Host=127.0.0.1", "benchmark");
        var serializer = store.Serializer();
        Stored = Events.SelectMany(rebuild.Recompute)
            .Select(s => serializer.FromJson<Snapshot>(new MemoryStream(Encoding.UTF8.GetBytes(serializer.ToJson(s)))))
            .ToDictionary(s => s.Id, StringComparer.Ordinal);
    }
}

/// <summary>Every version of the review recomputed from its events: the log folded, each analysed and built.</summary>
public class HarnessRecompute : HarnessReview
{
    [Benchmark]
    public int Recompute()
    {
        var rebuild = new SnapshotRebuild("rb", Analyzer);
        var versions = 0;
        foreach (var e in Events)
            versions += rebuild.Recompute(e).Count;
        return versions;
    }
}

/// <summary>The same, each recomputed version also compared with its stored copy, as the rebuild endpoint does.</summary>
public class HarnessRebuild : HarnessReview
{
    [Benchmark]
    public RebuildReport Rebuild()
    {
        var rebuild = new SnapshotRebuild("rb", Analyzer);
        foreach (var e in Events)
        {
            foreach (var snapshot in rebuild.Recompute(e))
                rebuild.Check(snapshot, Stored[snapshot.Id]);
        }
        var report = rebuild.Report();
        return report.Identical ? report : throw new InvalidOperationException("The stored copies differ from the recomputation.");
    }
}

/// <summary>
/// The analysis of one version of the harness's outcome at K trials, as the worker gives every
/// version of it (above 50 trials a version stores no per-study sections): the part of a command's
/// cost that no design of the snapshot writes can remove, since every command yields an analysed version.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class HarnessVersion
{
    private readonly OutcomeAnalyzer analyzer = new();
    private OutcomeInputs inputs = null!;

    [Params(100, 500, 1000, 1500)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var log = new ReviewLog();
        var versions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in HarnessReview.Log(K))
        {
            foreach (var changed in SnapshotRules.Apply(log, e, versions.Contains))
            {
                versions.Add(changed.Inputs.OutcomeId);
                inputs = changed.Inputs;
            }
        }
    }

    [Benchmark]
    public AnalyzedOutcome Analyze() => analyzer.Analyze(inputs);
}
