namespace Evidence.Domain;

/// <summary>
/// The keys of the event streams, built and read back here only (in C# and in SQL). A review's own
/// stream is keyed by its id; a trial's by <c>{review}/{trial}</c>; an outcome's snapshots by
/// <c>snapshots:{review}/{outcome}</c>. Slugs never contain '/' or ':', so no two kinds of key meet.
/// </summary>
public static class StreamKeys
{
    /// <summary>What every snapshot stream's key starts with.</summary>
    public const string SnapshotPrefix = "snapshots:";

    private const char Separator = '/';

    /// <summary>The review's own stream (its creation, outcomes and members).</summary>
    public static string Review(string review) => review;

    /// <summary>The stream of one trial of a review.</summary>
    public static string Trial(string review, string trial) => $"{review}{Separator}{trial}";

    /// <summary>The stream of an outcome's snapshot events.</summary>
    public static string Snapshots(string review, string outcome) => $"{SnapshotPrefix}{review}{Separator}{outcome}";

    /// <summary>The review a stream belongs to (its own, or one of its trials'); null for a snapshot stream.</summary>
    public static string? ReviewOf(string key) =>
        key.StartsWith(SnapshotPrefix, StringComparison.Ordinal) ? null : key.Split(Separator)[0];

    /// <summary>
    /// <see cref="ReviewOf"/> as a PostgreSQL expression over the text column <paramref name="column"/>:
    /// the review of the stream, null for a snapshot stream.
    /// </summary>
    public static string ReviewOfSql(string column) =>
        $"(case when starts_with({column}, '{SnapshotPrefix}') then null else split_part({column}, '{Separator}', 1) end)";
}
