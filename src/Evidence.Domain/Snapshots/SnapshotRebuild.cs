using System.Text.Json;

namespace Evidence.Domain.Snapshots;

/// <summary>One stored version compared with its recomputation: what differs (nothing when equal).</summary>
public sealed record VersionCheck(string Outcome, long Version, long? StoredCause, long? RebuiltCause, IReadOnlyList<string> Differences);

/// <summary>
/// The outcome of a rebuild: every version checked, the engine versions that wrote the stored ones,
/// and the versions whose cause, inputs or numbers differ from the recomputation. At most
/// <see cref="SnapshotRebuild.MaxVersionsReported"/> of them are listed; <see cref="VersionsDiffering"/>
/// counts them all.
/// </summary>
public sealed record RebuildReport(
    string ReviewId, string EngineVersion, IReadOnlyList<string> StoredEngineVersions, int EventsRead, int VersionsChecked,
    IReadOnlyList<VersionCheck> Differences, int VersionsDiffering)
{
    public bool Identical => VersionsDiffering == 0;
}

/// <summary>
/// Recomputes every snapshot of a review from its events with the current engine and compares them
/// with the stored ones, version by version: cause, inputs, and every number of the result. It
/// reports; it never overwrites history. It takes the events one at a time and checks each
/// recomputed version as it comes, so what it holds is the review's folded log and the differences
/// it lists, not the review's history.
/// </summary>
public sealed class SnapshotRebuild(string reviewId, IOutcomeAnalyzer analyzer)
{
    /// <summary>The most versions a report lists; a new engine can change every version of a review.</summary>
    public const int MaxVersionsReported = 1000;

    private const int MaxDifferencesPerVersion = 20;

    private readonly ReviewLog log = new();
    private readonly Dictionary<string, long> versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Judgement.SignalBasis> previous = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Sequential.SequentialLedger> ledgers = new(StringComparer.Ordinal);
    private readonly SortedSet<string> storedEngines = new(StringComparer.Ordinal);
    private readonly List<VersionCheck> checks = [];
    private int read;
    private int rebuilt;
    private int differing;

    /// <summary>The number of versions each outcome has so far in the recomputation.</summary>
    public IReadOnlyDictionary<string, long> Versions => versions;

    /// <summary>Applies the next event of the log and returns the versions it yields, recomputed.</summary>
    public IReadOnlyList<Snapshot> Recompute(LoggedEvent e)
    {
        read++;
        var yielded = new List<Snapshot>();
        foreach (var (inputs, hash, wasIncluded, cause, batchTrials) in SnapshotRules.Apply(log, e, versions.ContainsKey))
        {
            var version = versions[inputs.OutcomeId] = versions.GetValueOrDefault(inputs.OutcomeId) + 1;
            var ledger = ledgers[inputs.OutcomeId] = Sequential.SequentialRules.Next(ledgers.GetValueOrDefault(inputs.OutcomeId), inputs, version);
            var snapshot = SnapshotRules.Build(inputs, hash, cause, version, analyzer.Analyze(inputs), analyzer.EngineVersion,
                previous.GetValueOrDefault(inputs.OutcomeId), wasIncluded, batchTrials, ledger);
            previous[inputs.OutcomeId] = snapshot.Basis();
            yielded.Add(snapshot);
        }
        rebuilt += yielded.Count;
        return yielded;
    }

    /// <summary>Compares a recomputed version with the stored one of the same id (null when the store has none).</summary>
    public void Check(Snapshot recomputed, Snapshot? stored)
    {
        if (stored is not null)
            storedEngines.Add(stored.EngineVersion);
        var differences = stored is null ? ["missing: the store has no such version"] : Differences(stored, recomputed);
        if (differences.Count > 0)
            Add(new VersionCheck(recomputed.OutcomeId, recomputed.Version, stored?.Cause.Sequence, recomputed.Cause.Sequence, differences));
    }

    /// <summary>A stored version the events do not produce.</summary>
    public void Extra(Snapshot stored)
    {
        storedEngines.Add(stored.EngineVersion);
        Add(new VersionCheck(stored.OutcomeId, stored.Version, stored.Cause.Sequence, null, ["extra: the events do not produce this version"]));
    }

    /// <summary>Stored versions the events do not produce, counted without being listed (beyond the report's list).</summary>
    public void Extras(int count) => differing += count;

    public RebuildReport Report() =>
        new(reviewId, analyzer.EngineVersion, storedEngines.ToList(), read, rebuilt,
            checks.OrderBy(c => c.Outcome, StringComparer.Ordinal).ThenBy(c => c.Version).ToList(), differing);

    /// <summary>The whole comparison over a log and stored versions held in memory.</summary>
    public static RebuildReport Compare(string reviewId, IEnumerable<LoggedEvent> events, IReadOnlyList<Snapshot> stored, IOutcomeAnalyzer analyzer)
    {
        var rebuild = new SnapshotRebuild(reviewId, analyzer);
        var byId = stored.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var e in events)
        {
            foreach (var snapshot in rebuild.Recompute(e))
                rebuild.Check(snapshot, byId.Remove(snapshot.Id, out var old) ? old : null);
        }
        foreach (var extra in byId.Values)
            rebuild.Extra(extra);
        return rebuild.Report();
    }

    private void Add(VersionCheck check)
    {
        differing++;
        if (checks.Count < MaxVersionsReported)
            checks.Add(check);
    }

    private static List<string> Differences(Snapshot stored, Snapshot rebuilt)
    {
        var differences = new List<string>();
        if (stored.Cause.EventId != rebuilt.Cause.EventId || stored.Cause.Batch != rebuilt.Cause.Batch)
            differences.Add($"cause: stored {stored.Cause.Type} #{stored.Cause.Sequence}, rebuilt {rebuilt.Cause.Type} #{rebuilt.Cause.Sequence}");
        if (stored.InputHash != rebuilt.InputHash)
            differences.Add("inputs: the trials or settings differ");
        Json(stored.Result, rebuilt.Result, "result", differences);
        // A version stored before versions were judged has no thresholds (every later one has them,
        // resolved): there is nothing of its judgement to compare, only its analysis.
        if (stored.Thresholds is null)
            return differences;
        Json(Element(stored.Thresholds), Element(rebuilt.Thresholds), "thresholds", differences);
        Json(Element(stored.Signals ?? []), Element(rebuilt.Signals ?? []), "signals", differences);
        Json(Element(stored.Absolute), Element(rebuilt.Absolute), "absolute", differences);
        // Likewise a version stored before sequential sections existed is compared on the rest.
        if (stored.Sequential is not null || rebuilt.Sequential is null)
            Json(Element(stored.Sequential), Element(rebuilt.Sequential), "sequential", differences);
        return differences;
    }

    private static JsonElement Element<T>(T value) => JsonSerializer.SerializeToElement(value, ElementOptions);

    private static readonly JsonSerializerOptions ElementOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Every path where two results differ, numbers compared exactly.</summary>
    private static void Json(JsonElement a, JsonElement b, string path, List<string> differences) =>
        Json(a, b, new JsonPath(path), differences);

    /// <summary>
    /// The walk of <see cref="Json(JsonElement, JsonElement, string, List{string})"/>: the path is kept
    /// as its segments and written out only for a difference, since nearly every node of a rebuild is equal.
    /// </summary>
    private static void Json(JsonElement a, JsonElement b, JsonPath path, List<string> differences)
    {
        if (differences.Count >= MaxDifferencesPerVersion)
            return;
        if (a.ValueKind != b.ValueKind)
        {
            differences.Add($"{path}: stored {a}, rebuilt {b}");
            return;
        }
        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in a.EnumerateObject())
                {
                    path.Push(property.Name);
                    Json(property.Value, b.TryGetProperty(property.Name, out var y) ? y : default, path, differences);
                    path.Pop();
                }
                foreach (var property in b.EnumerateObject())
                {
                    if (a.TryGetProperty(property.Name, out _))
                        continue;
                    path.Push(property.Name);
                    Json(default, property.Value, path, differences);
                    path.Pop();
                }
                break;
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                    differences.Add($"{path}: stored {a.GetArrayLength()} items, rebuilt {b.GetArrayLength()}");
                else
                {
                    var i = 0;
                    using var ys = b.EnumerateArray();
                    foreach (var x in a.EnumerateArray())
                    {
                        ys.MoveNext();
                        path.Push(i++);
                        Json(x, ys.Current, path, differences);
                        path.Pop();
                    }
                }
                break;
            case JsonValueKind.Number:
                if (a.GetDouble() != b.GetDouble())
                    differences.Add($"{path}: stored {a.GetRawText()}, rebuilt {b.GetRawText()}");
                break;
            case JsonValueKind.Undefined:
                break;
            case JsonValueKind.String:
                // By value: serializers escape characters such as ' differently.
                if (!a.ValueEquals(b.GetString()))
                    differences.Add($"{path}: stored {a.GetRawText()}, rebuilt {b.GetRawText()}");
                break;
            default:
                if (a.GetRawText() != b.GetRawText())
                    differences.Add($"{path}: stored {a.GetRawText()}, rebuilt {b.GetRawText()}");
                break;
        }
    }

    /// <summary>A path into a JSON value as it is walked ("result.leave_one_out[3].estimate"), written out only when asked.</summary>
    private sealed class JsonPath(string root)
    {
        private readonly List<(string? Name, int Index)> segments = [];

        public void Push(string name) => segments.Add((name, 0));

        public void Push(int index) => segments.Add((null, index));

        public void Pop() => segments.RemoveAt(segments.Count - 1);

        public override string ToString() =>
            root + string.Concat(segments.Select(s => s.Name is null ? $"[{s.Index}]" : $".{s.Name}"));
    }
}
