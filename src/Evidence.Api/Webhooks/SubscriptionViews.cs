using Evidence.Domain.Webhooks;

namespace Evidence.Api.Webhooks;

/// <summary>A subscription as its owners see it: never its secret.</summary>
public sealed record SubscriptionView(
    string Id, string ReviewId, string Url, IReadOnlyList<string> Outcomes, IReadOnlyList<string> Kinds, string? Description,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DeletedAt, string? DeletedBy)
{
    public static SubscriptionView From(WebhookSubscription s) =>
        new(s.Id, s.ReviewId, s.Url, s.Outcomes, s.Kinds, s.Description, s.CreatedAt, s.CreatedBy, s.DeletedAt, s.DeletedBy);
}

/// <summary>
/// A new subscription. <c>Secret</c> (<c>whsec_…</c>) verifies its deliveries' signatures; it is in
/// the first answer only: a retry with the same <c>Idempotency-Key</c> answers without it.
/// </summary>
public sealed record CreatedSubscription(
    string Id, string ReviewId, string Url, IReadOnlyList<string> Outcomes, IReadOnlyList<string> Kinds, string? Description,
    DateTimeOffset CreatedAt, string CreatedBy, string? Secret)
{
    public static CreatedSubscription From(WebhookSubscription s, string secret) =>
        new(s.Id, s.ReviewId, s.Url, s.Outcomes, s.Kinds, s.Description, s.CreatedAt, s.CreatedBy, secret);
}

/// <summary>One version sent (or being sent) to the subscription: its <c>webhook-id</c> is <c>Id</c>.</summary>
public sealed record DeliveryView(
    string Id, string OutcomeId, long Version, long Sequence, DeliveryStatus Status, int Attempts,
    int? LastStatusCode, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt)
{
    public static DeliveryView From(WebhookDelivery d) =>
        new(d.Id, d.OutcomeId, d.Version, d.Sequence, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAt, d.LastAttemptAt,
            d.NextAttemptAt, d.DeliveredAt);
}
