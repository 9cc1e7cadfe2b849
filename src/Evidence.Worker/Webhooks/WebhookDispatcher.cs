using System.Collections.Concurrent;
using Evidence.Domain;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Webhooks;
using Evidence.Worker.Snapshots;
using Marten;

namespace Evidence.Worker.Webhooks;

/// <summary>
/// Delivers the versions that match each subscription, polling PostgreSQL every
/// <see cref="WebhookOptions.Poll"/>. Per subscription (one process at a time, see
/// <see cref="SubscriptionLock"/>): its oldest pending delivery is attempted when due, and a later one
/// only once it is delivered or has failed for good, so a failing target holds back its own
/// deliveries and no one else's. With none pending, the subscription's cursor moves over its review's
/// <see cref="SnapshotTaken"/> events up to the async daemon's high-water mark (all committed below
/// it, so versions are met in order), making a delivery of each match in the same transaction.
/// Subscriptions are served concurrently, at most <see cref="WebhookOptions.Concurrency"/> at once.
/// </summary>
public sealed class WebhookDispatcher(IDocumentStore store, WebhookOptions options, WebhookSender sender, TimeProvider clock, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private const int EventsPerRead = 100;
    private const long IdleCursorStride = 10_000;
    private readonly ConcurrentDictionary<string, bool> serving = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> undecryptable = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> running = new();
    private readonly SemaphoreSlim slots = new(options.Concurrency);
    private bool warnedUnconfigured;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StartDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Looking for webhook deliveries failed; trying again in {Poll}", options.Poll);
            }
            await Task.Delay(options.Poll, clock, stoppingToken);
        }
    }

    /// <summary>Lets the attempts under way end (a stop cancels them, recording nothing) before the store goes away.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(running.Keys).WaitAsync(cancellationToken);
    }

    private async Task StartDueAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var subscriptions = await session.Query<WebhookSubscription>().Where(s => s.DeletedAt == null).ToListAsync(ct);
        if (subscriptions.Count == 0)
            return;
        if (options.Secrets is null)
        {
            if (!warnedUnconfigured)
                logger.LogError("There are webhook subscriptions but {Setting} is not usable ({Problem}); nothing is delivered",
                    WebhookSecretBox.Setting, options.SecretKeyProblem ?? "not set");
            warnedUnconfigured = true;
            return;
        }
        foreach (var subscription in subscriptions)
        {
            // Marked before it starts, so the mark is never set after the task has already removed it.
            if (!serving.TryAdd(subscription.Id, true))
                continue;
            var serve = Task.Run(async () =>
            {
                var slot = false;
                try
                {
                    await slots.WaitAsync(ct);
                    slot = true;
                    await ServeAsync(subscription, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Webhook subscription {Subscription} of review {Review} could not be served", subscription.Id, subscription.ReviewId);
                }
                finally
                {
                    if (slot)
                        slots.Release();
                    serving.TryRemove(subscription.Id, out _);
                }
            }, CancellationToken.None);
            running.TryAdd(serve, true);
            _ = serve.ContinueWith(done => running.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    /// <summary>Serves one subscription until it has nothing due: its pending deliveries first, then new versions.</summary>
    private async Task ServeAsync(WebhookSubscription subscription, CancellationToken ct)
    {
        await using var turn = await SubscriptionLock.TryTakeAsync(store.Storage.Database, subscription.Id, ct);
        if (turn is null)
            return;
        string secret;
        try
        {
            secret = options.Secrets!.Decrypt(subscription.EncryptedSecret, subscription.Id);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Once per subscription: it stays so until the key it was made under is configured again.
            if (undecryptable.TryAdd(subscription.Id, true))
                logger.LogError("The secret of webhook subscription {Subscription} cannot be decrypted with the configured {Setting}; nothing is delivered to it",
                    subscription.Id, WebhookSecretBox.Setting);
            return;
        }
        while (!ct.IsCancellationRequested)
        {
            await using var session = store.LightweightSession();
            // Deleted meanwhile: nothing more goes out.
            if (await session.LoadAsync<WebhookSubscription>(subscription.Id, ct) is not { IsDeleted: false } current)
                return;
            var pending = await session.Query<WebhookDelivery>()
                .Where(d => d.SubscriptionId == subscription.Id && d.Status == DeliveryStatus.Pending)
                .OrderBy(d => d.Sequence).FirstOrDefaultAsync(ct);
            var worked = pending is null
                ? await AdvanceAsync(session, current, ct)
                : await AttemptAsync(session, current, pending, secret, ct);
            if (!worked)
                return;
        }
    }

    /// <summary>Attempts the delivery if it is due; false when it is not.</summary>
    private async Task<bool> AttemptAsync(IDocumentSession session, WebhookSubscription subscription, WebhookDelivery delivery, string secret, CancellationToken ct)
    {
        if (delivery.NextAttemptAt > clock.GetUtcNow())
            return false;
        // A stop in the middle records nothing: the next process attempts it again, with the same webhook-id.
        var result = await sender.SendAsync(subscription, delivery, secret, ct);
        var at = clock.GetUtcNow();
        var next = result.Accepted
            ? delivery.Succeeded(at, result.StatusCode!.Value)
            : delivery.FailedAttempt(at, result.StatusCode, result.Error!, options.Retry);
        session.Store(next);
        await session.SaveChangesAsync(CancellationToken.None);
        if (next.Status == DeliveryStatus.Delivered)
            logger.LogInformation("Delivered {Delivery} (review {Review}, outcome {Outcome}, version {Version}) to subscription {Subscription} after {Attempts} attempt(s)",
                next.Id, next.ReviewId, next.OutcomeId, next.Version, subscription.Id, next.Attempts);
        else if (next.Status == DeliveryStatus.Failed)
            logger.LogWarning("Gave up delivering {Delivery} (review {Review}, outcome {Outcome}, version {Version}) to subscription {Subscription} after {Attempts} attempt(s): {Error}",
                next.Id, next.ReviewId, next.OutcomeId, next.Version, subscription.Id, next.Attempts, next.LastError);
        else
            logger.LogInformation("Delivery {Delivery} to subscription {Subscription} failed (attempt {Attempts}: {Error}); next attempt at {Next}",
                next.Id, subscription.Id, next.Attempts, next.LastError, next.NextAttemptAt);
        return true;
    }

    /// <summary>
    /// Moves the cursor over the review's snapshot events up to the high-water mark, making a
    /// delivery of each matching version; false when there was nothing new.
    /// </summary>
    private async Task<bool> AdvanceAsync(IDocumentSession session, WebhookSubscription subscription, CancellationToken ct)
    {
        var cursor = await session.LoadAsync<WebhookCursor>(subscription.Id, ct) ?? new WebhookCursor(subscription.Id, 0);
        var mark = await SnapshotCatchUp.HighWaterMarkAsync(session, ct);
        if (mark <= cursor.Sequence)
            return false;
        var streams = StreamKeys.Snapshots(subscription.ReviewId, "");
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > cursor.Sequence && e.Sequence <= mark && e.StreamKey!.StartsWith(streams))
            .OrderBy(e => e.Sequence).Take(EventsPerRead).ToListAsync(ct);
        // Other reviews' events moved the mark: not worth a commit per poll until the range to scan grows.
        if (events.Count == 0 && mark - cursor.Sequence < IdleCursorStride)
            return false;
        var now = clock.GetUtcNow();
        foreach (var e in events)
            if (e.Data is SnapshotTaken version && subscription.Matches(version))
                session.Insert(new WebhookDelivery(WebhookDelivery.NewId(), subscription.Id, version.ReviewId, version.OutcomeId, version.Version,
                    e.Sequence, WebhookPayload.For(version, now), now));
        // Fewer than a page: every snapshot event up to the mark has been seen.
        var reached = events.Count == EventsPerRead ? events[^1].Sequence : mark;
        session.Store(cursor with { Sequence = reached });
        await session.SaveChangesAsync(ct);
        return true;
    }
}
