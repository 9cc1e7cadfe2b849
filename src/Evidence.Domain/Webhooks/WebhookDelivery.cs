namespace Evidence.Domain.Webhooks;

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Not yet accepted by the target; attempted again at <see cref="WebhookDelivery.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>The target answered 2xx.</summary>
    Delivered,

    /// <summary>The target did not accept it before the retries ran out.</summary>
    Failed,
}

/// <summary>
/// One version sent to one subscription. <see cref="Id"/> is the <c>webhook-id</c>, the same on
/// every attempt, and <see cref="Body"/> is fixed when the delivery is made, so a receiver can
/// drop a repeat. <see cref="Sequence"/> is the global sequence of the version's
/// <c>SnapshotTaken</c>: a subscription's deliveries go out in that order.
/// </summary>
public sealed record WebhookDelivery(
    string Id, string SubscriptionId, string ReviewId, string OutcomeId, long Version, long Sequence, string Body, DateTimeOffset CreatedAt)
{
    public DeliveryStatus Status { get; init; } = DeliveryStatus.Pending;
    public int Attempts { get; init; }
    public DateTimeOffset? FirstAttemptAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }

    public static string NewId() => $"msg_{Guid.NewGuid():N}";

    /// <summary>The target accepted it.</summary>
    public WebhookDelivery Succeeded(DateTimeOffset at, int statusCode) => this with
    {
        Status = DeliveryStatus.Delivered, Attempts = Attempts + 1, FirstAttemptAt = FirstAttemptAt ?? at, LastAttemptAt = at,
        LastStatusCode = statusCode, LastError = null, NextAttemptAt = null, DeliveredAt = at,
    };

    /// <summary>
    /// An attempt failed: the next one waits <paramref name="retry"/>'s backoff for this attempt's
    /// number, unless the retries have run out since the first attempt; then it failed for good.
    /// </summary>
    public WebhookDelivery FailedAttempt(DateTimeOffset at, int? statusCode, string error, WebhookRetry retry)
    {
        var first = FirstAttemptAt ?? at;
        var attempts = Attempts + 1;
        var givenUp = at - first >= retry.GiveUpAfter;
        return this with
        {
            Status = givenUp ? DeliveryStatus.Failed : DeliveryStatus.Pending, Attempts = attempts, FirstAttemptAt = first, LastAttemptAt = at,
            LastStatusCode = statusCode, LastError = error, NextAttemptAt = givenUp ? null : at + retry.Backoff(attempts),
        };
    }
}

/// <summary>
/// Exponential backoff: the n-th failed attempt waits <see cref="First"/> · 2^(n-1), at most
/// <see cref="Longest"/>; no attempt is made once <see cref="GiveUpAfter"/> has passed since the first.
/// </summary>
public sealed record WebhookRetry(TimeSpan First, TimeSpan Longest, TimeSpan GiveUpAfter)
{
    public TimeSpan Backoff(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Min(failedAttempts - 1, 40));
        var wait = First.TotalSeconds * factor;
        return TimeSpan.FromSeconds(Math.Min(wait, Longest.TotalSeconds));
    }
}
