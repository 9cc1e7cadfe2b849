namespace Evidence.Domain.Trials;

/// <summary>Field-level diffs between a trial's values and their corrected values, and their application.</summary>
public static class Corrections
{
    public static List<DataChange> DiffData(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> before,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> after)
    {
        var changes = new List<DataChange>();
        foreach (var outcome in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(outcome) ?? Empty;
            var @new = after.GetValueOrDefault(outcome) ?? Empty;
            foreach (var column in old.Keys.Union(@new.Keys).Order(StringComparer.Ordinal))
            {
                double? o = old.TryGetValue(column, out var ov) ? ov : null;
                double? n = @new.TryGetValue(column, out var nv) ? nv : null;
                if (o != n)
                    changes.Add(new DataChange(outcome, column, o, n));
            }
        }
        return changes;
    }

    public static List<AttributeChange> DiffAttributes(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(name => new AttributeChange(name, before.GetValueOrDefault(name), after.GetValueOrDefault(name)))
            .Where(c => c.Old != c.New)
            .ToList();

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ApplyData(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> data, IEnumerable<DataChange> changes)
    {
        var result = data.ToDictionary(d => d.Key, d => new Dictionary<string, double>(d.Value), StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!result.TryGetValue(change.Outcome, out var values))
                result[change.Outcome] = values = new Dictionary<string, double>(StringComparer.Ordinal);
            if (change.New is { } value)
                values[change.Column] = value;
            else
                values.Remove(change.Column);
        }
        return result.Where(r => r.Value.Count > 0)
            .ToDictionary(r => r.Key, r => (IReadOnlyDictionary<string, double>)r.Value, StringComparer.Ordinal);
    }

    public static IReadOnlyDictionary<string, string> ApplyAttributes(IReadOnlyDictionary<string, string> attributes, IEnumerable<AttributeChange> changes)
    {
        var result = new Dictionary<string, string>(attributes, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.New is null)
                result.Remove(change.Name);
            else
                result[change.Name] = change.New;
        }
        return result;
    }

    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();
}
