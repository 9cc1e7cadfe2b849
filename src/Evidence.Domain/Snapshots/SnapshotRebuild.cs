using System.Text.Json;

namespace Evidence.Domain.Snapshots;

/// <summary>One stored version compared with its recomputation: what differs (nothing when equal).</summary>
public sealed record VersionCheck(string Outcome, long Version, long? StoredCause, long? RebuiltCause, IReadOnlyList<string> Differences);

/// <summary>
/// The outcome of a rebuild: every version checked, the engine versions that wrote the stored ones,
/// and the versions whose cause, inputs or numbers differ from the recomputation.
/// </summary>
public sealed record RebuildReport(string ReviewId, string EngineVersion, IReadOnlyList<string> StoredEngineVersions, int EventsRead, int VersionsChecked, IReadOnlyList<VersionCheck> Differences)
{
    public bool Identical => Differences.Count == 0;
}

/// <summary>
/// Recomputes every snapshot of a review from its events with the current engine and compares them
/// with the stored ones, version by version: cause, inputs, and every number of the result. It
/// reports; it never overwrites history.
/// </summary>
public static class SnapshotRebuild
{
    private const int MaxDifferencesPerVersion = 20;

    public static RebuildReport Compare(string reviewId, IEnumerable<LoggedEvent> events, IReadOnlyList<Snapshot> stored, IOutcomeAnalyzer analyzer)
    {
        var log = new ReviewLog();
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var rebuilt = new List<Snapshot>();
        var read = 0;
        foreach (var e in events)
        {
            read++;
            foreach (var (inputs, hash) in SnapshotRules.Apply(log, e, versions.ContainsKey))
            {
                var version = versions[inputs.OutcomeId] = versions.GetValueOrDefault(inputs.OutcomeId) + 1;
                rebuilt.Add(SnapshotRules.Build(inputs, hash, SnapshotRules.Cause(e), version, analyzer.Analyze(inputs), analyzer.EngineVersion));
            }
        }
        var byId = stored.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var checks = new List<VersionCheck>();
        foreach (var snapshot in rebuilt)
        {
            var differences = byId.Remove(snapshot.Id, out var old) ? Differences(old, snapshot) : ["missing: the store has no such version"];
            if (differences.Count > 0)
                checks.Add(new VersionCheck(snapshot.OutcomeId, snapshot.Version, old?.Cause.Sequence, snapshot.Cause.Sequence, differences));
        }
        checks.AddRange(byId.Values.Select(s => new VersionCheck(s.OutcomeId, s.Version, s.Cause.Sequence, null, ["extra: the events do not produce this version"])));
        return new RebuildReport(reviewId, analyzer.EngineVersion, stored.Select(s => s.EngineVersion).Distinct().Order(StringComparer.Ordinal).ToList(), read, rebuilt.Count, checks.OrderBy(c => c.Outcome, StringComparer.Ordinal).ThenBy(c => c.Version).ToList());
    }

    private static List<string> Differences(Snapshot stored, Snapshot rebuilt)
    {
        var differences = new List<string>();
        if (stored.Cause.EventId != rebuilt.Cause.EventId)
            differences.Add($"cause: stored {stored.Cause.Type} #{stored.Cause.Sequence}, rebuilt {rebuilt.Cause.Type} #{rebuilt.Cause.Sequence}");
        if (stored.InputHash != rebuilt.InputHash)
            differences.Add("inputs: the trials or settings differ");
        Json(stored.Result, rebuilt.Result, "result", differences);
        return differences;
    }

    /// <summary>Every path where two results differ, numbers compared exactly.</summary>
    private static void Json(JsonElement a, JsonElement b, string path, List<string> differences)
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
                foreach (var name in a.EnumerateObject().Select(p => p.Name).Union(b.EnumerateObject().Select(p => p.Name)))
                {
                    var x = a.TryGetProperty(name, out var xa) ? xa : default;
                    var y = b.TryGetProperty(name, out var yb) ? yb : default;
                    Json(x, y, $"{path}.{name}", differences);
                }
                break;
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                    differences.Add($"{path}: stored {a.GetArrayLength()} items, rebuilt {b.GetArrayLength()}");
                else
                {
                    for (var i = 0; i < a.GetArrayLength(); i++)
                        Json(a[i], b[i], $"{path}[{i}]", differences);
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
                if (a.GetString() != b.GetString())
                    differences.Add($"{path}: stored {a.GetRawText()}, rebuilt {b.GetRawText()}");
                break;
            default:
                if (a.GetRawText() != b.GetRawText())
                    differences.Add($"{path}: stored {a.GetRawText()}, rebuilt {b.GetRawText()}");
                break;
        }
    }
}
