using Evidence.Domain;
using JasperFx.Events;

namespace Evidence.Api.AuditTrail;

/// <summary>One field of a trial before and after an event (null when absent).</summary>
public sealed record FieldChangeView(string Field, object? Old, object? New);

/// <summary>An event of the audit trail: what happened, to which stream (and trial), who did it, when and why.</summary>
public sealed record EventView(
    long Sequence, string Stream, string? TrialId, long Version, string Type, DateTimeOffset At, string By, string? Reason, string? Source,
    string CorrelationId, object Data, IReadOnlyList<FieldChangeView>? Changes)
{
    public static EventView From(IEvent e, IReadOnlyList<FieldChangeView>? changes = null)
    {
        var provenance = (e.Data as IReviewEvent)?.Provenance
            ?? new Provenance("unknown", e.Timestamp, e.CorrelationId ?? "");
        return new EventView(e.Sequence, e.StreamKey!, (e.Data as ITrialEvent)?.TrialId, e.Version, e.EventType.Name, provenance.At, provenance.By,
            provenance.Reason, provenance.Source, provenance.CorrelationId, e.Data, changes);
    }
}
