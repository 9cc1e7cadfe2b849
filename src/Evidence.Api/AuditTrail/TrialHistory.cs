using Evidence.Domain;
using Evidence.Domain.Trials;

namespace Evidence.Api.AuditTrail;

/// <summary>
/// Field-level old -> new values for each event of one trial, found by replaying its events in order
/// with <see cref="Trial.Evolve"/>.
/// </summary>
public static class TrialHistory
{
    /// <summary>The fields <paramref name="e"/> changed on the trial as it stood <paramref name="before"/> it.</summary>
    public static IReadOnlyList<FieldChangeView> Changes(Trial? before, ITrialEvent e) => e switch
    {
        TrialRecorded r => Recorded(r),
        TrialCorrected c =>
        [
            .. c.Data.Select(d => new FieldChangeView($"data.{d.Outcome}.{d.Column}", d.Old, d.New)),
            .. c.Attributes.Select(a => new FieldChangeView($"attributes.{a.Name}", a.Old, a.New)),
        ],
        TrialExcluded => [Status(before, TrialStatus.Excluded)],
        TrialReinstated => [Status(before, TrialStatus.Included)],
        TrialRetracted => [Status(before, TrialStatus.Retracted)],
        _ => throw new UnknownEventException(e, nameof(TrialHistory)),
    };

    private static List<FieldChangeView> Recorded(TrialRecorded r)
    {
        var changes = new List<FieldChangeView>
        {
            new("year", null, r.Year),
            new("source", null, r.Source),
        };
        if (r.RegistryId is not null)
            changes.Add(new("registryId", null, r.RegistryId));
        changes.AddRange(r.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new FieldChangeView($"attributes.{a.Key}", null, a.Value)));
        changes.AddRange(r.Data.OrderBy(d => d.Key, StringComparer.Ordinal)
            .SelectMany(d => d.Value.Select(v => new FieldChangeView($"data.{d.Key}.{v.Key}", null, v.Value))));
        return changes;
    }

    private static FieldChangeView Status(Trial? before, TrialStatus after) =>
        new("status", before?.Status.ToString().ToLowerInvariant(), after.ToString().ToLowerInvariant());
}
