using System.Globalization;
using Evidence.Api.Reviews;
using Evidence.Api.Snapshots;
using Evidence.Domain.Snapshots;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Evidence.Api.Web.Pages;

/// <summary>
/// An outcome: its version timeline, the plots of a chosen version (the latest by default), the
/// version in force on a date, and the diff of two versions with its attribution.
/// </summary>
public sealed class OutcomeModel(IQuerySession session, StudiesOnReadCache studies, IOutcomeAnalyzer analyzer) : WebPage
{
    public ReviewListItem Review { get; private set; } = null!;
    public OutcomeListItem Outcome { get; private set; } = null!;
    public IReadOnlyList<SnapshotEndpoints.SnapshotListItem> Versions { get; private set; } = [];

    /// <summary>The version whose plots and absolute effect are shown.</summary>
    public Snapshot? Shown { get; private set; }

    /// <summary>The date asked for (yyyy-MM-dd), and the version in force at the end of that day (UTC); null when none was.</summary>
    public string? AsOf { get; private set; }
    public SnapshotEndpoints.SnapshotListItem? InForce { get; private set; }

    public SnapshotEndpoints.ChangesView? Changes { get; private set; }
    public long? From { get; private set; }
    public long? To { get; private set; }

    public string Measure => MeasureName(Outcome.Measure);

    public Task<IActionResult> OnGetAsync(string review, string outcome, long? version, long? from, long? to, string? asOf, CancellationToken ct) => ShowAsync(async () =>
    {
        Review = await ReviewListEndpoints.OneAsync(HttpContext, session, review, ct);
        Outcome = Review.Outcomes.FirstOrDefault(o => o.Id == outcome) ?? throw new Domain.NotFoundException("Outcome", outcome);
        Versions = await SnapshotEndpoints.VersionsAsync(HttpContext, session, review, outcome, ct);
        if (Versions.Count == 0)
            return;
        var errors = new Domain.Validation.FieldErrors();
        if (!string.IsNullOrEmpty(asOf))
        {
            if (DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                AsOf = asOf;
                var end = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                InForce = Versions.LastOrDefault(v => v.Cause.At < end);
                version ??= InForce?.Version;
            }
            else
                errors.Add("asOf", "must be a date, yyyy-MM-dd.");
        }
        var latest = Versions[^1].Version;
        if (version is < 1 || version > latest)
            errors.Add("version", $"must be a version from 1 to {latest}.");
        errors.ThrowIfAny();
        Shown = await SnapshotReader.LoadAsync(session, studies, review, outcome, version ?? latest, AnalysisDepth.Studies, ct);
        if (from is not null || to is not null)
        {
            From = from;
            To = to;
            Changes = await SnapshotEndpoints.ChangesAsync(review, outcome, from, to, HttpContext, session, studies, analyzer, ct);
        }
    });

    /// <summary>A version's headline on the natural scale with the measure's name.</summary>
    public string Headline(SnapshotSummary s)
    {
        var n = s.Natural();
        return s.Estimable ? $"{Measure} {WithInterval(n.Estimate, n.CiLower, n.CiUpper)}" : "no estimate";
    }

    public SnapshotEndpoints.SnapshotListItem? Version(long? number) => Versions.FirstOrDefault(v => v.Version == number);
}
