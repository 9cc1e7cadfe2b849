using Evidence.Contracts;
using Evidence.Worker.Snapshots;
using MassTransit;

namespace Evidence.Worker.Consumers;

/// <summary>Brings the review's snapshots up to the sequence the message names.</summary>
public sealed class ReviewEventsCommittedConsumer(SnapshotCatchUp catchUp) : IConsumer<ReviewEventsCommitted>
{
    public Task Consume(ConsumeContext<ReviewEventsCommitted> context) =>
        catchUp.RunAsync(context.Message.ReviewId, context.Message.Sequence, context.CancellationToken);
}

/// <summary>
/// Retries cover a concurrent writer of the same version (the loser finds the work done on retry)
/// and a passing database fault; what still fails goes to the error queue, and the reconciler
/// fills the gap later. Messages of one review are handled one at a time in this process.
/// </summary>
public sealed class ReviewEventsCommittedConsumerDefinition : ConsumerDefinition<ReviewEventsCommittedConsumer>
{
    public ReviewEventsCommittedConsumerDefinition()
    {
        EndpointName = Queues.Snapshots;
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ReviewEventsCommittedConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r => r.Intervals(50, 200, 500, 1000, 2000, 5000));
        var partition = endpoint.CreatePartitioner(ConcurrentMessageLimit ?? 8);
        consumer.Message<ReviewEventsCommitted>(m => m.UsePartitioner(partition, c => c.Message.ReviewId));
    }
}
