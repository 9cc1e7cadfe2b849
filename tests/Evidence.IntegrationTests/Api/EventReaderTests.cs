using Evidence.Api.AuditTrail;
using Evidence.Api.Plots;
using Evidence.Domain;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Tests;
using Evidence.Domain.Trials;

namespace Evidence.IntegrationTests.Api;

/// <summary>The API's readers of events (a trial's history, the history chart) handle every event type.</summary>
public class EventReaderTests
{
    [Fact]
    public void TrialHistory_Should_DescribeWhatEveryTrialEventChanged()
    {
        Trial? trial = null;
        foreach (var e in EventSamples.Log.OfType<ITrialEvent>())
        {
            Assert.NotEmpty(TrialHistory.Changes(trial, e));
            trial = Trial.Evolve(trial, e);
        }
    }

    [Fact]
    public void HistoryChart_Should_LabelEveryEventType()
    {
        foreach (var type in EvidenceStore.EventTypes)
        {
            var cause = new SnapshotCause(Guid.NewGuid(), type.Name, 1, "he2020", "alice", DateTimeOffset.UnixEpoch, null);

            Assert.NotEqual(type.Name, HistoryChart.Cause(cause));
        }
    }
}
