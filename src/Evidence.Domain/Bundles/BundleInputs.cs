namespace Evidence.Domain.Bundles;

/// <summary>
/// One row of a bundle's <c>data.csv</c>: the study's id, its year (when known), its numbers in
/// metafor's column names, its subgroup level, its key in the cumulative order, and its moderators.
/// </summary>
public sealed record BundleStudy(
    string Study, int? Year, IReadOnlyDictionary<string, double> Data, string? Subgroup = null, string? Order = null,
    IReadOnlyDictionary<string, double>? Moderators = null);

/// <summary>
/// What <c>analysis.R</c> computes: measure, method and test by the catalogue's names, the subgroup
/// column, the column that gives the cumulative order, whether the rows already stand in that
/// order (an outcome's included trials do, by <see cref="Snapshots.StudyOrder"/>) or are to be
/// sorted by it, the moderators of a meta-regression, and the convention preset by its name
/// (<c>metafor</c> or <c>revman5</c>, <see cref="Statistics.MeasureCatalogue.ConventionNames"/>).
/// </summary>
public sealed record BundleSettings(
    string Measure, string Method, string Test, string? Subgroup, string? Order, bool RowsInCumulativeOrder, IReadOnlyList<string> Moderators,
    string Conventions = Outcomes.AnalysisPlan.DefaultConventions);

/// <summary>An event that led to the version, as one line of <c>events.jsonl</c>.</summary>
public sealed record BundleEvent(long Sequence, string Type, string Who, DateTimeOffset When, string? Why, object Data);

/// <summary>
/// Where the bundle's result comes from: the engine's version, the inputs' hash, and for a snapshot
/// its review, outcome, version and cause (null for a bundle built from data alone).
/// <paramref name="ResultSource"/> says how <c>result.json</c> was obtained.
/// </summary>
public sealed record BundleOrigin(
    string EngineVersion, string? InputHash, string? Review, string? Outcome, long? Version, Snapshots.SnapshotCause? Cause, string ResultSource);
