using Evidence.Contracts;
using Evidence.Domain;
using Evidence.Domain.Snapshots;
using Evidence.Hosting;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using MassTransit;
using Marten;
using Marten.Subscriptions;

namespace Evidence.Api.Forwarding;

/// <summary>
/// Carries committed events to RabbitMQ without a dual write: the async daemon hands over pages of
/// committed events and advances its progress only when this returns, so a failed send is retried
/// (at-least-once). Review events become one <see cref="ReviewEventsCommitted"/> per review per page,
/// sent to the worker's queue; snapshot events become the published <see cref="EstimateChanged"/>.
/// </summary>
public sealed class EventForwarder(IBus bus, IConfiguration configuration) : SubscriptionBase
{
    // A classic queue is declared on send, so nothing is dropped for want of a binding. A quorum queue
    // cannot be: a send address carries no queue type, and the broker refuses a declaration that differs
    // from the queue's. The worker declares it; a send that no queue takes comes back (mandatory) and
    // fails the page, which the daemon hands over again.
    private readonly bool quorum = BrokerConnection.QuorumQueues(configuration);

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var reviews = new HashSet<string>(StringComparer.Ordinal);
        var estimates = new List<EstimateChanged>();
        foreach (var e in page.Events)
        {
            if (e.Data is SnapshotTaken taken)
                estimates.Add(ToMessage(taken));
            else if (e.StreamKey is { } key && StreamKeys.ReviewOf(key) is { } review)
                reviews.Add(review);
        }

        if (reviews.Count > 0)
        {
            var worker = await bus.GetSendEndpoint(new Uri(quorum ? $"exchange:{Queues.Snapshots}" : $"queue:{Queues.Snapshots}"));
            // Every event up to the page's ceiling is committed, so the worker may read that far.
            await Task.WhenAll(reviews.Select(r => worker.Send(new ReviewEventsCommitted(r, page.SequenceCeiling), Mandatory, cancellationToken)));
        }
        if (estimates.Count > 0)
            await Task.WhenAll(estimates.Select(m => bus.Publish(m, cancellationToken)));
        return NullChangeListener.Instance;
    }

    private void Mandatory(SendContext<ReviewEventsCommitted> context)
    {
        if (quorum && context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            rabbit.Mandatory = true;
    }

    private static EstimateChanged ToMessage(SnapshotTaken t) => new()
    {
        ReviewId = t.ReviewId,
        OutcomeId = t.OutcomeId,
        Version = t.Version,
        CauseEventId = t.Cause.EventId,
        CauseType = t.Cause.Type,
        CauseSequence = t.Cause.Sequence,
        TrialId = t.Cause.TrialId,
        By = t.Cause.By,
        At = t.Cause.At,
        Reason = t.Cause.Reason,
        K = t.Summary.K,
        Estimable = t.Summary.Estimable,
        Estimate = t.Summary.Estimate,
        CiLower = t.Summary.CiLower,
        CiUpper = t.Summary.CiUpper,
        Tau2 = t.Summary.Tau2,
        I2 = t.Summary.I2,
        NaturalEstimate = t.Summary.NaturalEstimate,
        NaturalCiLower = t.Summary.NaturalCiLower,
        NaturalCiUpper = t.Summary.NaturalCiUpper,
        SignificanceFlipped = t.Flags.SignificanceFlipped,
        DirectionFlipped = t.Flags.DirectionFlipped,
        CiNowExcludesNull = t.Flags.CiNowExcludesNull,
        CiNowIncludesNull = t.Flags.CiNowIncludesNull,
        LargeRelativeChange = t.Flags.LargeRelativeChange,
        Signals = [.. (t.Signals ?? []).Select(s => new EstimateSignal
        {
            Kind = s.Kind, Text = s.Text, Before = s.Before, After = s.After, Threshold = s.Threshold, TrialId = s.TrialId,
        })],
    };
}
