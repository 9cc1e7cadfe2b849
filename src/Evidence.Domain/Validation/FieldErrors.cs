namespace Evidence.Domain.Validation;

/// <summary>Collects field errors keyed by JSON path, then throws them all at once.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    /// <summary>The number of messages added so far.</summary>
    public int Count => errors.Values.Sum(e => e.Count);

    public void Add(string path, string message)
    {
        if (!errors.TryGetValue(path, out var list))
        {
            list = [];
            errors[path] = list;
        }
        list.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Throws <see cref="ValidationFailedException"/> when any error was added.</summary>
    public void ThrowIfAny()
    {
        if (!IsEmpty)
            throw new ValidationFailedException(ToDictionary());
    }
}
