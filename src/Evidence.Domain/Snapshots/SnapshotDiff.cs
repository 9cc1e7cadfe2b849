namespace Evidence.Domain.Snapshots;

/// <summary>A value before and after (null where absent), with the difference when both are numbers.</summary>
public sealed record Change(double? From, double? To)
{
    public double? Delta => From is { } a && To is { } b ? b - a : null;
}

/// <summary>One field of a trial's data that differs between two snapshots.</summary>
public sealed record StudyFieldChange(string Field, object? From, object? To);

/// <summary>A trial present in both snapshots whose analysed values differ.</summary>
public sealed record StudyChange(string TrialId, IReadOnlyList<StudyFieldChange> Fields);

/// <summary>
/// What moved between two versions of an outcome: trials added, removed and changed field by field,
/// the headline numbers before and after, and the flags a guideline panel cares about.
/// </summary>
public sealed record SnapshotDiff(
    long From, long To,
    IReadOnlyList<string> TrialsAdded, IReadOnlyList<string> TrialsRemoved, IReadOnlyList<StudyChange> TrialsChanged,
    Change K, Change Estimate, Change CiLower, Change CiUpper, Change Tau2, Change I2,
    ChangeFlags Flags)
{
    public static SnapshotDiff Between(Snapshot from, Snapshot to)
    {
        var before = from.Included.ToDictionary(s => s.TrialId, StringComparer.Ordinal);
        var after = to.Included.ToDictionary(s => s.TrialId, StringComparer.Ordinal);
        var changed = after.Values
            .Where(s => before.ContainsKey(s.TrialId))
            .Select(s => new StudyChange(s.TrialId, Fields(before[s.TrialId], s)))
            .Where(c => c.Fields.Count > 0)
            .OrderBy(c => c.TrialId, StringComparer.Ordinal)
            .ToList();
        var a = from.Summary;
        var b = to.Summary;
        return new SnapshotDiff(from.Version, to.Version,
            [.. after.Keys.Except(before.Keys).Order(StringComparer.Ordinal)],
            [.. before.Keys.Except(after.Keys).Order(StringComparer.Ordinal)],
            changed,
            new(a.K, b.K), new(a.Estimate, b.Estimate), new(a.CiLower, b.CiLower), new(a.CiUpper, b.CiUpper),
            new(a.Tau2, b.Tau2), new(a.I2, b.I2),
            ChangeFlags.Between(a, b));
    }

    private static List<StudyFieldChange> Fields(IncludedStudy a, IncludedStudy b)
    {
        var fields = a.Data.Keys.Union(b.Data.Keys).Order(StringComparer.Ordinal)
            .Select(k => new StudyFieldChange($"data.{k}", a.Data.TryGetValue(k, out var x) ? x : null, b.Data.TryGetValue(k, out var y) ? y : null))
            .Where(f => !Equals(f.From, f.To))
            .ToList();
        if (a.Subgroup != b.Subgroup)
            fields.Add(new("subgroup", a.Subgroup, b.Subgroup));
        if (a.Order != b.Order)
            fields.Add(new("order", a.Order, b.Order));
        if (a.Yi != b.Yi)
            fields.Add(new("yi", a.Yi, b.Yi));
        if (a.Vi != b.Vi)
            fields.Add(new("vi", a.Vi, b.Vi));
        return fields;
    }
}
