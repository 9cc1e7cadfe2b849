using System.Globalization;

namespace Evidence.Domain.Snapshots;

/// <summary>
/// The cumulative order: by the order key (numeric keys by value, before text keys), then year, then
/// trial id. Trials without a key come last.
/// </summary>
public sealed class StudyOrder : IComparer<StudyInput>
{
    public static readonly StudyOrder Instance = new();

    public int Compare(StudyInput? x, StudyInput? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return -1;
        if (y is null)
            return 1;
        var byKey = CompareKeys(x.Order, y.Order);
        if (byKey != 0)
            return byKey;
        var byYear = x.Year.CompareTo(y.Year);
        return byYear != 0 ? byYear : string.CompareOrdinal(x.TrialId, y.TrialId);
    }

    /// <summary>
    /// A total order, as a sorted set needs: numbers (by value) before text (ordinal) before no key.
    /// Comparing numerically only when both keys happen to be numbers is not transitive when numbers
    /// and text are mixed ("202" &lt; "2019" &lt; "2019a" &lt; "202"), and a set ordered that way can
    /// fail to find the entry it has to remove.
    /// </summary>
    private static int CompareKeys(string? a, string? b)
    {
        if (a is null || b is null)
            return a is null ? (b is null ? 0 : 1) : -1;
        var aNumeric = double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var na);
        var bNumeric = double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var nb);
        if (aNumeric != bNumeric)
            return aNumeric ? -1 : 1;
        return aNumeric ? na.CompareTo(nb) : string.CompareOrdinal(a, b);
    }
}
