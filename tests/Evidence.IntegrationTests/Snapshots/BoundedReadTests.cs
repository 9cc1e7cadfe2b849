using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Evidence.Api.Http;
using Evidence.Api.Plots;
using Evidence.Api.Snapshots;
using Evidence.Domain.Snapshots;
using Evidence.IntegrationTests.Api;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// Reads of a version stored without its per-study sections cost one computation, however often it
/// is read; its plots come a page at a time; a rebuild runs one at a time; and anonymous reads of a
/// public review count against the rate limit. One review of <see cref="Trials"/> trials serves every test.
/// </summary>
public sealed partial class BoundedReadTests(SnapshotPipeline<BoundedReadTests> pipeline) : IClassFixture<SnapshotPipeline<BoundedReadTests>>
{
    private const string Review = "bounded";
    private const int Trials = PlotPage.MaxSize + 5;

    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static bool ready;

    private HttpClient Client => pipeline.Client;

    private StudiesOnReadCache Cache => pipeline.Services.GetRequiredService<StudiesOnReadCache>();

    private RenderedVersions Rendered => pipeline.Services.GetRequiredService<RenderedVersions>();

    private static string Path(long version) => $"/reviews/{Review}/outcomes/response/snapshots/{version}";

    [Fact]
    public async Task RepeatedRead_Should_BeServedFromTheCache_AndEqualTheUncachedResult()
    {
        await ReviewAsync();
        var (computed, reused) = (Cache.Computed, Rendered.Reused);

        var first = await (await Client.GetAsync(Path(Trials))).Content.ReadAsStringAsync();
        Assert.Equal(computed + 1, Cache.Computed);
        var second = await (await Client.GetAsync(Path(Trials))).Content.ReadAsStringAsync();
        Assert.Equal(computed + 1, Cache.Computed);
        Assert.Equal(reused + 1, Rendered.Reused);
        Assert.Equal(first, second);

        await using var session = pipeline.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stored = await session.LoadAsync<Snapshot>(Snapshot.DocumentId(Review, "response", Trials));
        Assert.True(stored!.StudiesOnRead);
        var uncached = await Cache.ComputeUncachedAsync(stored, AnalysisDepth.Full, default);
        Assert.Equal(JsonSerializer.Serialize(uncached, ApiJson.Options), first);
        Assert.Equal(Trials, JsonDocument.Parse(first).RootElement.GetProperty("result").GetProperty("leave_one_out").GetArrayLength());
    }

    [Fact]
    public async Task RepeatedReadWithItsETag_Should_Answer304WithoutABody()
    {
        await ReviewAsync();
        var version = Trials - 2;
        var first = await Client.GetAsync(Path(version));
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);

        using var again = new HttpRequestMessage(HttpMethod.Get, Path(version));
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        var other = await Client.GetAsync(Path(version - 1));
        Assert.NotEqual(etag, other.Headers.ETag);
    }

    [Fact]
    public async Task RepeatedPlotPage_Should_BeSentAsDrawnTheFirstTime()
    {
        await ReviewAsync();
        var reused = Rendered.Reused;
        var first = await Client.GetAsync($"{Path(Trials - 3)}/cumulative.svg?page=2");
        var second = await Client.GetAsync($"{Path(Trials - 3)}/cumulative.svg?page=2");

        Assert.Equal(reused + 1, Rendered.Reused);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal((Trials - 3).ToString(), second.Headers.GetValues("Evidence-Plot-Rows").Single());
        Assert.Contains("rel=\"prev\"", second.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task RepeatedHistoryChart_Should_BeSentAsDrawnForTheSameNewestVersion()
    {
        await ReviewAsync();
        var path = $"/reviews/{Review}/outcomes/response/history.svg";
        var first = await Client.GetAsync(path);
        var reused = Rendered.Reused;
        var second = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(reused + 1, Rendered.Reused);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("image/svg+xml", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ConcurrentFirstReads_Should_ComputeOnce()
    {
        await ReviewAsync();
        var computed = Cache.Computed;
        var version = Trials - 1;

        var bodies = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ => await (await Client.GetAsync(Path(version))).Content.ReadAsStringAsync()));

        Assert.Equal(computed + 1, Cache.Computed);
        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task ForestPlotOfManyStudies_Should_PageWithThePooledDiamondOnEveryPage()
    {
        await ReviewAsync();
        var whole = await Client.GetAsync($"{Path(Trials)}/forest.svg");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var firstPage = await whole.Content.ReadAsStringAsync();
        Assert.Contains($"studies 1-100 of {Trials} (page 1 of 2)", firstPage);
        Assert.Contains("Random effects (k = " + Trials + ")", firstPage);
        Assert.Contains("rel=\"next\"", whole.Headers.GetValues("Link").Single());
        Assert.Equal(Trials.ToString(), whole.Headers.GetValues("Evidence-Plot-Rows").Single());

        var last = await Client.GetAsync($"{Path(Trials)}/forest.svg?page=2");
        var lastPage = await last.Content.ReadAsStringAsync();
        Assert.Contains($"studies 101-{Trials} of {Trials} (page 2 of 2)", lastPage);
        Assert.Contains("Random effects (k = " + Trials + ")", lastPage);
        Assert.DoesNotContain("rel=\"next\"", last.Headers.GetValues("Link").Single());
        Assert.True(Height(lastPage) < Height(firstPage));
        Assert.True(Height(firstPage) <= 130 + 26 * (PlotPage.MaxSize + 4));

        var small = await (await Client.GetAsync($"{Path(Trials)}/forest.png?page=3&pageSize=10")).Content.ReadAsByteArrayAsync();
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(small, 1, 3));

        var cumulative = await (await Client.GetAsync($"{Path(Trials)}/cumulative.svg?pageSize=50&page=3")).Content.ReadAsStringAsync();
        Assert.Contains($"steps 101-{Trials} of {Trials} (page 3 of 3)", cumulative);
    }

    [Fact]
    public async Task PlotPagesOutOfRange_Should_Answer400NamingTheField()
    {
        await ReviewAsync();
        var beyond = await Client.GetAsync($"{Path(Trials)}/forest.svg?page=3");
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Equal(["page"], await beyond.ErrorFields());
        var both = await Client.GetAsync($"{Path(Trials)}/cumulative.svg?page=0&pageSize={PlotPage.MaxSize + 1}");
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(["page", "pageSize"], (await both.ErrorFields()).Order());
    }

    [Fact]
    public async Task AnonymousReadsOfAPublicLargeVersion_Should_CountAgainstTheRateLimit()
    {
        await ReviewAsync();
        await using var limited = pipeline.StartApi(new Dictionary<string, string?> { ["RateLimit:Burst"] = "4", ["RateLimit:PermitsPerSecond"] = "1" });
        using var anonymous = limited.CreateClient();

        var answers = new List<HttpResponseMessage>();
        for (var n = 0; n < 12 && answers.All(a => a.StatusCode != HttpStatusCode.TooManyRequests); n++)
            answers.Add(await anonymous.GetAsync(Path(Trials)));

        Assert.Equal(HttpStatusCode.OK, answers[0].StatusCode);
        Assert.True((await answers[0].Json()).GetProperty("studiesOnRead").GetBoolean());
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1].StatusCode);
        Assert.True(answers.Count >= 5, $"the burst is 4; limited after {answers.Count - 1} reads");
        Assert.NotNull(answers[^1].Headers.RetryAfter);
    }

    [Fact]
    public async Task Rebuild_Should_RunOncePerReviewAtATime_AndReportNoDifference()
    {
        await ReviewAsync();
        var gate = pipeline.Services.GetRequiredService<RebuildGate>();
        using (await gate.EnterAsync(Review, default))
        {
            var second = await Client.GetAsync($"/reviews/{Review}/rebuild");
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        }

        var report = await (await Client.GetAsync($"/reviews/{Review}/rebuild")).Json();
        Assert.True(report.GetProperty("identical").GetBoolean(), report.ToString());
        Assert.Equal(0, report.GetProperty("versionsDiffering").GetInt32());
        Assert.Equal(Trials, report.GetProperty("versionsChecked").GetInt32());
    }

    [Fact]
    public async Task RebuildBeyondTheQueue_Should_Answer429()
    {
        await ReviewAsync();
        await using var host = pipeline.StartApi(new Dictionary<string, string?> { ["Rebuild:Concurrency"] = "1", ["Rebuild:QueueLimit"] = "0" });
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = Client.DefaultRequestHeaders.Authorization;
        using (await host.Services.GetRequiredService<RebuildGate>().EnterAsync("another-review", default))
        {
            var busy = await client.GetAsync($"/reviews/{Review}/rebuild");
            Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
            Assert.NotNull(busy.Headers.RetryAfter);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/reviews/{Review}/rebuild")).StatusCode);
    }

    /// <summary>A public review whose outcome has <see cref="Trials"/> versions, the last ones stored without their studies.</summary>
    private async Task ReviewAsync()
    {
        await Setup.WaitAsync();
        try
        {
            if (ready)
                return;
            Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id = Review, title = "t", question = "q" })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{Review}/outcomes",
                new { id = "response", name = "Response", dataType = "binary", measure = "OR", method = "REML" })).StatusCode);
            for (var n = 1; n <= Trials; n++)
            {
                Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{Review}/trials", new
                {
                    id = $"t{n:000}",
                    year = 1980 + n % 40,
                    source = "s",
                    data = new { response = new { ai = 5 + n % 17, bi = 20 + n % 11, ci = 4 + n % 13, di = 22 + n % 7 } },
                })).StatusCode);
            }
            Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{Review}/visibility", new { @public = true, reason = "published" })).StatusCode);
            await pipeline.WaitForVersionsAsync(Review, "response", Trials, TimeSpan.FromSeconds(180));
            ready = true;
        }
        finally
        {
            Setup.Release();
        }
    }

    private static int Height(string svg) => int.Parse(SvgHeight().Match(svg).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("<svg[^>]*height=\"([0-9]+)")]
    private static partial Regex SvgHeight();
}
