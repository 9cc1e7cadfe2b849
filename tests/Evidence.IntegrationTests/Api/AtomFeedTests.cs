using System.ServiceModel.Syndication;
using System.Xml;
using Evidence.Api.Feeds;
using Evidence.Domain.Access;
using Evidence.Domain.Judgement;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;

namespace Evidence.IntegrationTests.Api;

/// <summary>The feed's writer on user text that XML must escape, or cannot hold at all; no services needed.</summary>
public sealed class AtomFeedTests
{
    [Fact]
    public void Write_Should_EscapeUserText_AndReplaceWhatXmlCannotHold()
    {
        const string markup = "<b>bold</b> & ]]> \"quoted\" 'single'";
        var review = new Review("r-1", $"{markup} \u0001 \ud800 end", "Q?", null, new Dictionary<string, Outcome>(), 1,
            DateTimeOffset.UnixEpoch, "creator <x>", new Dictionary<string, Role>(), true);
        var signal = new Signal(SignalKinds.TrialStatus, $"trial-a, in the analysis, was retracted {markup}",
            new Dictionary<string, double?>(), new Dictionary<string, double?>(), TrialId: "trial-a");
        var cause = new SnapshotCause(Guid.NewGuid(), "TrialRetracted", 7, "trial-a", "user \u0007 & <co>", DateTimeOffset.UnixEpoch.AddDays(1), markup);

        var bytes = AtomFeed.Write(review, [new SignalledVersion("response", 3, cause, [signal])], "http://host", "http://host/reviews/r-1/feed.atom?a=1&b=2");

        using var reader = XmlReader.Create(new MemoryStream(bytes));
        var feed = SyndicationFeed.Load(reader);
        Assert.Equal($"{markup} \ufffd \ufffd end", feed.Title.Text);
        Assert.Equal("http://host/reviews/r-1/feed.atom?a=1&b=2", feed.Links.Single(l => l.RelationshipType == "self").Uri.ToString());
        var item = Assert.Single(feed.Items);
        Assert.Equal("urn:evidence:r-1:response:3", item.Id);
        Assert.Equal("user \ufffd & <co>", item.Authors.Single().Name);
        Assert.Contains(markup, item.Summary.Text, StringComparison.Ordinal);
        Assert.EndsWith($"cause: TrialRetracted trial-a by user \ufffd & <co>: {markup}", ((TextSyndicationContent)item.Content).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryId_Should_PercentEncodeEachPart_SoNoneHoldsASeparator() =>
        Assert.Equal("urn:evidence:a%3Ab:c%2Fd:2", AtomFeed.EntryId("a:b", "c/d", 2));
}
