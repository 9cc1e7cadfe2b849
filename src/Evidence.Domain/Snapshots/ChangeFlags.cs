namespace Evidence.Domain.Snapshots;

/// <summary>
/// How a pooled estimate moved between two snapshots, in the terms a guideline panel asks about.
/// The null is 0 on the analysis scale (log ratio, difference), so every measure is judged alike.
/// </summary>
/// <param name="SignificanceFlipped">p crossed 0.05 (either way).</param>
/// <param name="DirectionFlipped">The estimate changed sign.</param>
/// <param name="CiNowExcludesNull">The CI used to contain the null and no longer does.</param>
/// <param name="CiNowIncludesNull">The CI used to exclude the null and now contains it.</param>
/// <param name="LargeRelativeChange">|new - old| / |old| is 50% or more.</param>
public sealed record ChangeFlags(bool SignificanceFlipped, bool DirectionFlipped, bool CiNowExcludesNull, bool CiNowIncludesNull, bool LargeRelativeChange)
{
    public const double Alpha = 0.05;
    public const double LargeChange = 0.5;

    public static readonly ChangeFlags None = new(false, false, false, false, false);

    /// <summary>Flags between two summaries; none when either side has no estimate.</summary>
    public static ChangeFlags Between(SnapshotSummary? before, SnapshotSummary after)
    {
        if (before?.Estimate is not { } old || after.Estimate is not { } now)
            return None;
        bool? Excludes(SnapshotSummary s) => s.CiLower is { } lo && s.CiUpper is { } hi ? lo > 0 || hi < 0 : null;
        var excludedBefore = Excludes(before);
        var excludedAfter = Excludes(after);
        return new ChangeFlags(
            before.P is { } p0 && after.P is { } p1 && (p0 < Alpha) != (p1 < Alpha),
            Math.Sign(old) != Math.Sign(now) && old != 0 && now != 0,
            excludedBefore == false && excludedAfter == true,
            excludedBefore == true && excludedAfter == false,
            old == 0 ? now != 0 : Math.Abs(now - old) / Math.Abs(old) >= LargeChange);
    }
}
