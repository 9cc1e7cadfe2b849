using System.Net;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Evidence.IntegrationTests.Snapshots;

namespace Evidence.IntegrationTests.Api;

/// <summary>A review's signals as an Atom feed: valid per RFC 4287, and read by the review's own rules.</summary>
public sealed partial class FeedTests(SnapshotPipeline<FeedTests> pipeline) : IClassFixture<SnapshotPipeline<FeedTests>>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private HttpClient Client => pipeline.Client;

    private static object Trial(string id, int year, double ai, double xi) => new
    {
        id,
        year,
        source = $"{id} et al.",
        data = new Dictionary<string, object>
        {
            ["response"] = new { ai, bi = 20 - ai, ci = 6, di = 14 },
            ["fever"] = new { xi, ni = 30 },
        },
    };

    private async Task<string> ReviewAsync(string id, string title)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id, title, question = "Does it help?" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "DL" })).StatusCode);
        return id;
    }

    private sealed record Expected(string Outcome, long Version, long Sequence, string By, DateTimeOffset At, IReadOnlyList<string> Kinds, IReadOnlyList<string> Texts);

    /// <summary>Every version of the outcomes that carries signals, as the JSON API gives them, newest first.</summary>
    private async Task<List<Expected>> VersionsWithSignalsAsync(string review, params string[] outcomes)
    {
        var expected = new List<Expected>();
        foreach (var outcome in outcomes)
        {
            var versions = await (await Client.GetAsync($"/reviews/{review}/outcomes/{outcome}/snapshots")).Json();
            foreach (var item in versions.EnumerateArray())
            {
                var version = item.GetProperty("version").GetInt64();
                var snapshot = await (await Client.GetAsync($"/reviews/{review}/outcomes/{outcome}/snapshots/{version}")).Json();
                var signals = snapshot.GetProperty("signals").EnumerateArray().ToList();
                if (signals.Count == 0)
                    continue;
                var cause = snapshot.GetProperty("cause");
                expected.Add(new Expected(outcome, version, cause.GetProperty("sequence").GetInt64(), cause.GetProperty("by").GetString()!,
                    cause.GetProperty("at").GetDateTimeOffset(),
                    signals.Select(s => s.GetProperty("kind").GetString()!).Distinct().ToList(),
                    signals.Select(s => s.GetProperty("text").GetString()!).ToList()));
            }
        }
        return expected.OrderByDescending(e => e.Sequence).ThenBy(e => e.Outcome, StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Feed_Should_ListTheVersionsWithSignals_OfEveryOutcome_NewestFirst_AsValidAtom()
    {
        const string title = "IL-2 <low dose> & \"friends\"";
        var review = await ReviewAsync("feed-signals", title);
        const string editorName = "o'brien <editor> & co";
        var editor = await Client.CreateKeyAsync(editorName);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/members", new { user = editorName, role = "editor" })).StatusCode);
        foreach (var (id, year, ai, xi) in new[] { ("a-2016", 2016, 12.0, 9.0), ("b-2019", 2019, 15.0, 12.0), ("c-2021", 2021, 9.0, 7.0) })
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", Trial(id, year, ai, xi))).StatusCode);
        await pipeline.WaitForVersionsAsync(review, "response", 3);
        await pipeline.WaitForVersionsAsync(review, "fever", 3);
        const string reason = "fabricated <data> & ]]> \"quoted\"";
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/b-2019/retraction",
            new { reason, notice = "retraction notice" }, ifMatch: "1", apiKey: editor)).StatusCode);
        await pipeline.WaitForVersionsAsync(review, "response", 4);
        await pipeline.WaitForVersionsAsync(review, "fever", 4);
        var expected = await VersionsWithSignalsAsync(review, "response", "fever");

        var response = await Client.GetAsync($"/reviews/{review}/feed.atom");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var document = XDocument.Parse(text);
        AssertRfc4287(document);
        var feed = ParseAtom(text);
        Assert.Equal($"urn:evidence:{review}", feed.Id);
        Assert.Equal(title, feed.Title.Text);
        Assert.Equal("admin", Assert.Single(feed.Authors).Name);
        Assert.Equal($"http://localhost/reviews/{review}/feed.atom", feed.Links.Single(l => l.RelationshipType == "self").Uri.ToString());
        Assert.Equal(Rfc3339Millis(expected.Max(e => e.At)), document.Root!.Element(Atom + "updated")!.Value);
        Assert.Equal(Seconds(expected.Max(e => e.At)), feed.LastUpdatedTime);

        // The first versions have no signals; the retraction of an included trial gives one in each outcome.
        Assert.DoesNotContain(expected, e => e.Version == 1);
        foreach (var outcome in new[] { "response", "fever" })
            Assert.Contains(expected, e => e.Outcome == outcome && e.Version == 4 && e.Kinds.Contains("trialStatus"));
        var items = feed.Items.ToList();
        Assert.Equal(expected.Select(e => $"urn:evidence:{review}:{e.Outcome}:{e.Version}"), items.Select(i => i.Id));
        Assert.Equal(expected.Select(e => Rfc3339Millis(e.At)), document.Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "updated")!.Value));
        foreach (var (entry, item) in expected.Zip(items))
        {
            Assert.Equal($"{(entry.Outcome == "response" ? "Response" : "Fever")} v{entry.Version}: {string.Join(", ", entry.Kinds)}", item.Title.Text);
            Assert.Equal(Seconds(entry.At), item.LastUpdatedTime);
            Assert.Equal(entry.By, Assert.Single(item.Authors).Name);
            Assert.Equal(entry.Kinds, item.Categories.Select(c => c.Name));
            Assert.All(item.Categories, c => Assert.Equal("urn:evidence:signal-kind", c.Scheme));
            Assert.All(entry.Texts, t => Assert.Contains(t, item.Summary.Text, StringComparison.Ordinal));
            var alternate = item.Links.Single(l => l.RelationshipType == "alternate");
            Assert.Equal("application/json", alternate.MediaType);
            var linked = await (await Client.GetAsync(alternate.Uri.PathAndQuery)).Json();
            Assert.Equal(entry.Version, linked.GetProperty("version").GetInt64());
            Assert.Equal(entry.Outcome, linked.GetProperty("outcomeId").GetString());
        }
        var retraction = items.First(i => i.Id.EndsWith(":response:4", StringComparison.Ordinal));
        Assert.Equal(editorName, retraction.Authors.Single().Name);
        Assert.Contains(reason, ((TextSyndicationContent)retraction.Content).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_Should_TakeAtMostLimitEntries_AndRefuseALimitOutOfRange()
    {
        var review = await ReviewAsync("feed-limit", "Limits");
        foreach (var (id, year, ai, xi) in new[] { ("a-2016", 2016, 12.0, 9.0), ("b-2019", 2019, 15.0, 12.0) })
            await Client.Post($"/reviews/{review}/trials", Trial(id, year, ai, xi));
        await Client.Post($"/reviews/{review}/trials/a-2016/retraction", new { reason = "fabricated", notice = "notice" }, ifMatch: "1");
        await pipeline.WaitForVersionsAsync(review, "response", 3);
        await pipeline.WaitForVersionsAsync(review, "fever", 3);
        var expected = await VersionsWithSignalsAsync(review, "response", "fever");

        var one = ParseAtom(await (await Client.GetAsync($"/reviews/{review}/feed.atom?limit=1")).Content.ReadAsStringAsync());
        var all = ParseAtom(await (await Client.GetAsync($"/reviews/{review}/feed.atom?limit=200")).Content.ReadAsStringAsync());

        Assert.True(expected.Count >= 2);
        Assert.Equal($"urn:evidence:{review}:{expected[0].Outcome}:{expected[0].Version}", Assert.Single(one.Items).Id);
        Assert.Equal(expected.Count, all.Items.Count());
        foreach (var bad in new[] { "0", "201", "-1", "ten", "1.5", "" })
        {
            var refused = await Client.GetAsync($"/reviews/{review}/feed.atom?limit={bad}");
            Assert.True(HttpStatusCode.BadRequest == refused.StatusCode, $"limit={bad}: {(int)refused.StatusCode}");
            Assert.Equal(["limit"], await refused.ErrorFields());
        }
    }

    [Fact]
    public async Task PrivateReviewsFeed_Should_AnswerAsAMissingOne_ToStrangersAndAnonymous_UntilItIsPublic()
    {
        var review = await ReviewAsync("feed-private", "Private");
        var stranger = await Client.CreateKeyAsync("feed-stranger");
        using var anonymous = pipeline.ClientFor(null);
        using var strangers = pipeline.ClientFor(stranger);

        foreach (var client in new[] { anonymous, strangers })
        {
            var hidden = await client.GetAsync($"/reviews/{review}/feed.atom");
            var missing = await client.GetAsync("/reviews/feed-missing/feed.atom");
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal((await Normalised(missing)).Replace("feed-missing", "{review}", StringComparison.Ordinal),
                (await Normalised(hidden)).Replace(review, "{review}", StringComparison.Ordinal));
            // The limit is not looked at before the review is: a bad one does not tell a private review from a missing one.
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/reviews/{review}/feed.atom?limit=0")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/visibility", new { @public = true, reason = "published" })).StatusCode);
        var read = await anonymous.GetAsync($"/reviews/{review}/feed.atom");
        var byStranger = await strangers.GetAsync($"/reviews/{review}/feed.atom");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byStranger.StatusCode);
        var text = await read.Content.ReadAsStringAsync();
        var document = XDocument.Parse(text);
        AssertRfc4287(document);
        var feed = ParseAtom(text);
        Assert.Empty(feed.Items);
        var created = (await (await Client.GetAsync($"/reviews/{review}")).Json()).GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(Rfc3339Millis(created), document.Root!.Element(Atom + "updated")!.Value);
    }

    /// <summary>Reads the text with the Atom 1.0 formatter of System.ServiceModel.Syndication, which refuses anything else.</summary>
    private static SyndicationFeed ParseAtom(string text)
    {
        using var reader = XmlReader.Create(new StringReader(text));
        var formatter = new Atom10FeedFormatter();
        Assert.True(formatter.CanRead(reader), "not an Atom 1.0 feed");
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    /// <summary>What RFC 4287 requires of a feed and its entries (sections 4.1.1, 4.1.2, 4.2).</summary>
    private static void AssertRfc4287(XDocument document)
    {
        var feed = document.Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        AssertHeadline(feed);
        var feedHasAuthor = feed.Elements(Atom + "author").Any();
        Assert.Single(feed.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self");
        Assert.True(feed.Elements(Atom + "link").Where(l => (string?)l.Attribute("rel") == "alternate")
            .GroupBy(l => ((string?)l.Attribute("type"), (string?)l.Attribute("hreflang"))).All(g => g.Count() == 1));
        foreach (var entry in feed.Elements(Atom + "entry"))
        {
            AssertHeadline(entry);
            Assert.True(feedHasAuthor || entry.Elements(Atom + "author").Any(), "an entry without an author in a feed without one");
            Assert.True(entry.Elements(Atom + "content").Any() || entry.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") is null or "alternate"),
                "an entry needs content or an alternate link");
            Assert.True(entry.Elements(Atom + "content").Count() <= 1 && entry.Elements(Atom + "summary").Count() <= 1);
            Assert.All(entry.Elements(Atom + "category"), c => Assert.False(string.IsNullOrEmpty((string?)c.Attribute("term"))));
        }
        foreach (var person in feed.Descendants(Atom + "author"))
            Assert.Single(person.Elements(Atom + "name"));
        foreach (var link in feed.Descendants(Atom + "link"))
            Assert.True(Uri.TryCreate((string?)link.Attribute("href"), UriKind.Absolute, out _), $"link without an absolute href: {link}");
        foreach (var construct in feed.Descendants().Where(e => e.Name == Atom + "title" || e.Name == Atom + "summary" || e.Name == Atom + "content" || e.Name == Atom + "subtitle"))
            Assert.Contains((string?)construct.Attribute("type") ?? "text", new[] { "text", "html", "xhtml" });
    }

    /// <summary>Exactly one id (an absolute IRI), one title and one updated (an RFC 3339 date-time).</summary>
    private static void AssertHeadline(XElement element)
    {
        var id = Assert.Single(element.Elements(Atom + "id")).Value;
        Assert.True(Uri.TryCreate(id, UriKind.Absolute, out _), $"id is not an absolute IRI: {id}");
        Assert.Single(element.Elements(Atom + "title"));
        Assert.Matches(Rfc3339(), Assert.Single(element.Elements(Atom + "updated")).Value);
    }

    private static string Rfc3339Millis(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The instant as the Atom formatter reads it back: it drops the fraction of a second.</summary>
    private static DateTimeOffset Seconds(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static async Task<string> Normalised(HttpResponseMessage response)
    {
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await response.Content.ReadAsStringAsync())!;
        json.Remove("traceId");
        return JsonSerializer.Serialize(json.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
