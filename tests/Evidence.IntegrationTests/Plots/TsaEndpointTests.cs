using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Snapshots;

namespace Evidence.IntegrationTests.Plots;

/// <summary>
/// <c>.../snapshots/{version}/tsa.svg|png</c>: a version's sequential section drawn, read as the
/// other plots are (viewer; a private review answers as a missing one), and 404 for a version
/// without one. The section is written into the stored version, as the worker stores it.
/// </summary>
public sealed class TsaEndpointTests(SnapshotPipeline<TsaEndpointTests> pipeline) : IClassFixture<SnapshotPipeline<TsaEndpointTests>>
{
    private const string Review = "tsa-plot";

    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static bool ready;

    private HttpClient Client => pipeline.Client;

    private static string Path(string outcome, long version, string format) => $"/reviews/{Review}/outcomes/{outcome}/snapshots/{version}/tsa.{format}";

    [Fact]
    public async Task Tsa_Should_DrawTheVersionsSequentialAnalysis_AsWellFormedSvgAndPng()
    {
        await ReviewAsync();

        var svg = await Client.GetAsync(Path("response", 1, "svg"));
        var png = await Client.GetAsync(Path("response", 1, "png"));

        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        var raw = await svg.Content.ReadAsStringAsync();
        var document = XDocument.Parse(raw);
        Assert.Equal("svg", document.Root?.Name.LocalName);
        var texts = document.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
        var text = WebUtility.HtmlDecode(raw);
        Assert.Contains("Response, version 1", text);
        Assert.Contains("Trial sequential analysis: a sensitivity analysis", text);
        Assert.Contains("RIS 1,032 participants (76% reached): unadjusted 815, adjusted by D² = 0.21", text);
        Assert.Contains("alpha 0.05, beta 0.2 (power 80%), O'Brien-Fleming-type alpha spending", text);
        foreach (var look in TsaSections.Falling().Looks)
            Assert.Contains($"v{look.Version}", texts);
        Assert.Contains("Information fell", text);

        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(await png.Content.ReadAsByteArrayAsync(), 1, 3));
    }

    [Fact]
    public async Task Tsa_Should_Answer404ProblemDetails_ForAVersionWithoutASequentialSection_OrNoSuchVersion()
    {
        await ReviewAsync();

        var none = await Client.GetAsync(Path("injection-site", 1, "svg"));
        var missing = await Client.GetAsync(Path("response", 99, "png"));
        var noOutcome = await Client.GetAsync(Path("nothing", 1, "svg"));

        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        var problem = await none.Json();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("Outcome 'injection-site' has no sequential analysis at version 1: it had no sequential parameters then.", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("response v99", (await missing.Json()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, noOutcome.StatusCode);
    }

    [Fact]
    public async Task Tsa_Should_AnswerAStrangerAsIfThePrivateReviewWereMissing()
    {
        await ReviewAsync();
        var stranger = await Client.CreateKeyAsync("tsa-stranger");
        using var asStranger = pipeline.ClientFor(stranger);
        using var anonymous = pipeline.ClientFor(null);

        foreach (var client in new[] { asStranger, anonymous })
        {
            var hidden = await client.GetAsync(Path("response", 1, "svg"));
            var absent = await client.GetAsync(Path("response", 1, "svg").Replace(Review, "tsa-none", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal(absent.StatusCode, hidden.StatusCode);
            Assert.Equal(Detail(await absent.Json()).Replace("tsa-none", Review, StringComparison.Ordinal), Detail(await hidden.Json()));
        }
    }

    private static string Detail(JsonElement problem) => $"{problem.GetProperty("title")} {problem.GetProperty("detail")}";

    /// <summary>A private review with one trial; its response v1 given a sequential section (the injection-site outcome none).</summary>
    private async Task ReviewAsync()
    {
        await Setup.WaitAsync();
        try
        {
            if (ready)
                return;
            await ReviewApiTests.CreateReviewAsync(Client, Review);
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{Review}/trials", ReviewApiTests.Trial("he2020"))).StatusCode);
            await pipeline.WaitForVersionsAsync(Review, "response", 1);
            await pipeline.WaitForVersionsAsync(Review, "injection-site", 1);
            await TsaSections.StoreAsync(pipeline.Services, Review, "response", 1, TsaSections.Falling());
            ready = true;
        }
        finally
        {
            Setup.Release();
        }
    }
}
