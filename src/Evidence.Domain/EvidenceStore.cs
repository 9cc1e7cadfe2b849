using Evidence.Domain.Access;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Daemon.HighWater;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Weasel.Core;

namespace Evidence.Domain;

/// <summary>The one Marten configuration shared by the API, the worker, the tools and the tests.</summary>
public static class EvidenceStore
{
    /// <summary>The schema when configuration names none.</summary>
    public const string DefaultSchema = "evidence";

    /// <summary>
    /// Every event of a review's log, registered explicitly so a process that only reads can still
    /// decode them. Each is folded by <see cref="Review.Evolve"/> or <see cref="Trial.Evolve"/>.
    /// </summary>
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(ReviewCreated), typeof(OutcomeDefined), typeof(OutcomeAnalysisChanged), typeof(OutcomeThresholdsSet), typeof(OutcomeSignalRulesSet), typeof(OutcomeSequentialSet),
        typeof(MemberAdded), typeof(MemberRemoved), typeof(ReviewVisibilityChanged),
        typeof(TrialRecorded), typeof(TrialCorrected), typeof(TrialExcluded), typeof(TrialReinstated), typeof(TrialRetracted),
    ];

    /// <summary>
    /// How long one of Evidence's transactions may sit idle before the server ends it: the high-water
    /// mark waits for a live transaction that may still commit below it, so a leaked one would hold
    /// every review's snapshots; no command or catch-up keeps a transaction idle for anything near this.
    /// </summary>
    public static readonly TimeSpan IdleTransactionTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Streams are keyed by strings (<see cref="StreamKeys"/>). Review and trial state are inline
    /// projections of their folds, written in the same transaction as their events.
    /// </summary>
    public static void ConfigureEvidence(this StoreOptions opts, string connectionString, string schema)
    {
        if (schema.Length == 0 || !schema.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            throw new ArgumentException("A Marten schema name must be lower-case letters, digits and '_'.", nameof(schema));

        // Marten sends the same few statements for every command and snapshot. Prepared once per
        // connection, PostgreSQL skips parsing and planning them (Npgsql's reset on return to the pool
        // keeps prepared statements, while still releasing advisory locks and LISTENs).
        var connection = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 };
        connection.Options = $"{connection.Options} -c idle_in_transaction_session_timeout={(long)IdleTransactionTimeout.TotalMilliseconds}".Trim();
        opts.Connection(connection.ConnectionString);
        opts.DatabaseSchemaName = schema;
        opts.Events.DatabaseSchemaName = schema;
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        // The daemon listens for Marten's NOTIFY, but it is sent after the commit rather than inside
        // it (see AppendedEventsNotifier): a NOTIFY inside serialises all committing transactions.
        var notifications = NpgsqlDataSource.Create(connectionString);
        opts.Events.UseListenNotifyForEventAppends = false;
        opts.Projections.Wakeup = new PostgresqlListenWakeup(notifications, NullLogger.Instance, AppendedEventsNotifier.Channel);
        opts.Listeners.Add(new AppendedEventsNotifier(notifications, TimeProvider.System, AppendedEventsNotifier.DefaultInterval));
        // Where the async daemon runs: a failed page is retried after 1 s rather than 5, and a
        // standby takes over from a dead leader within about 2 s.
        opts.Projections.HealthCheckPollingTime = TimeSpan.FromSeconds(1);
        opts.Projections.LeadershipPollingTime = 1000;
        // A command's event takes its sequence number before its transaction commits. When the commit
        // is late (a slow commit, a paused process), the high-water mark holds before that gap for as
        // long as the transaction is alive, so the event is forwarded and gets its version in order
        // (LateCommitTests); a gap is skipped only when no live transaction can fill it. Never skip a
        // live one: that event would get no version. A leaked transaction is ended by the server's
        // idle_in_transaction_session_timeout below instead, and its event never commits.
        opts.Projections.SkipStaleGapsDespiteLiveTransactionsAfter = null;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        foreach (var type in EventTypes)
            opts.Events.AddEventType(type);
        opts.Events.AddEventType(typeof(SnapshotTaken));

        opts.Projections.Add(new ReviewProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new TrialProjection(), ProjectionLifecycle.Inline);
        opts.Schema.For<Trial>().Index(t => t.ReviewId);
        opts.Schema.For<Snapshot>().Index(s => s.ReviewId).Index(s => s.OutcomeId);
        opts.Schema.For<SnapshotHead>().Index(s => s.ReviewId);
        opts.Schema.For<Sequential.OutcomeLedger>().Index(l => l.ReviewId);
        opts.Schema.For<Sequential.OutcomeLook>().Index(l => l.ReviewId);
        // Two workers may catch up one review at once. A run that writes no snapshot collides with no
        // other writer's version, so without this check it could store its older progress over a newer
        // one, and the next run would write the versions in between a second time.
        opts.Schema.For<SnapshotProgress>().UseOptimisticConcurrency(true);
        opts.Schema.For<ReconciledMark>();
        opts.Schema.For<ApiKey>().Index(k => k.User);
        opts.Schema.For<WebSession>();
        opts.Schema.For<Webhooks.WebhookSubscription>().Index(s => s.ReviewId);
        opts.Schema.For<Webhooks.WebhookCursor>();
        opts.Schema.For<Webhooks.WebhookDelivery>().Index(d => d.SubscriptionId);
    }
}
