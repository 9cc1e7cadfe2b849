using Evidence.Domain.Snapshots;

namespace Evidence.Domain.Webhooks;

/// <summary>
/// A target that is sent each version of a review's outcomes with a matching signal.
/// <see cref="Outcomes"/> and <see cref="Kinds"/> filter the versions (empty: any); the signing
/// secret is kept only encrypted (<see cref="WebhookSecretBox"/>), bound to the subscription's id.
/// A deleted subscription stays, with <see cref="DeletedAt"/>, so its deliveries can still be told apart.
/// </summary>
public sealed record WebhookSubscription(
    string Id, string ReviewId, string Url, IReadOnlyList<string> Outcomes, IReadOnlyList<string> Kinds, string? Description,
    string EncryptedSecret, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DeletedAt = null, string? DeletedBy = null)
{
    public static string NewId() => $"sub_{Guid.NewGuid():N}";

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>
    /// A version matches when its outcome is one of <see cref="Outcomes"/> (any when none are given)
    /// and at least one of its signals is of a kind in <see cref="Kinds"/> (any kind when none are given).
    /// </summary>
    public bool Matches(SnapshotTaken version) =>
        (Outcomes.Count == 0 || Outcomes.Contains(version.OutcomeId, StringComparer.Ordinal))
        && version.Signals is { Count: > 0 } signals
        && (Kinds.Count == 0 || signals.Any(s => Kinds.Contains(s.Kind, StringComparer.Ordinal)));
}

/// <summary>
/// How far a subscription has looked at its review's snapshot events: every <see cref="SnapshotTaken"/>
/// with a global sequence up to <see cref="Sequence"/> has been judged (and made a delivery when it
/// matched). Kept apart from the subscription, which only the API writes, so the worker never
/// writes over a deletion.
/// </summary>
public sealed record WebhookCursor(string Id, long Sequence);
