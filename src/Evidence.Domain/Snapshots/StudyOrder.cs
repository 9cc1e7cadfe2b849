using System.Globalization;

namespace Evidence.Domain.Snapshots;

/// <summary>
/// The cumulative order: by the order key (numerically when both keys are numbers), then year, then
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

    private static int CompareKeys(string? a, string? b)
    {
        if (a is null || b is null)
            return a is null ? (b is null ? 0 : 1) : -1;
        var numeric = double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var na)
                      & double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var nb);
        return numeric ? na.CompareTo(nb) : string.CompareOrdinal(a, b);
    }
}
