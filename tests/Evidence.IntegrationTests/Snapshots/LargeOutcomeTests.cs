using System.Net;
using Evidence.Domain.Snapshots;
using Evidence.IntegrationTests.Api;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// An outcome that grows past <see cref="SnapshotRules.StoredStudyLimit"/> trials: its versions keep
/// coming one per change, store their headline, and are read back whole (a diff with its attribution
/// and the influence of each trial).
/// </summary>
public sealed class LargeOutcomeTests(SnapshotPipeline<LargeOutcomeTests> pipeline) : IClassFixture<SnapshotPipeline<LargeOutcomeTests>>
{
    private HttpClient Client => pipeline.Client;

    [Fact]
    public async Task VersionsAboveTheLimit_Should_BeReadWhole_DiffedAndRebuiltIdentically()
    {
        const string review = "large";
        var trials = SnapshotRules.StoredStudyLimit + 2;
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id = review, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/outcomes",
            new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML", subgroup = "disease" })).StatusCode);
        for (var n = 1; n <= trials; n++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", new
            {
                id = $"t{n:000}",
                year = 1990 + n % 30,
                source = "s",
                attributes = new { disease = n % 3 == 0 ? "SLE" : "RA" },
                data = new { response = new { ai = 5 + n % 17, bi = 20 + n % 11, ci = 4 + n % 13, di = 22 + n % 7 } },
            })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await Client.Post($"/reviews/{review}/trials/t007/exclusion", new { reason = "not randomised" }, ifMatch: "1")).StatusCode);
        var versions = await pipeline.WaitForVersionsAsync(review, "response", trials + 1, TimeSpan.FromSeconds(120));
        Assert.Equal(trials + 1, versions.GetArrayLength());

        var latest = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/latest")).Json();
        var k = trials - 1;
        Assert.True(latest.GetProperty("studiesOnRead").GetBoolean());
        Assert.Equal(k, latest.GetProperty("included").GetArrayLength());
        Assert.Equal(k, latest.GetProperty("result").GetProperty("studies").GetArrayLength());
        Assert.Equal(k, latest.GetProperty("result").GetProperty("cumulative").GetArrayLength());
        Assert.Equal(k, latest.GetProperty("result").GetProperty("leave_one_out").GetArrayLength());
        Assert.Equal("excluded", latest.GetProperty("leftOut")[0].GetProperty("status").GetString());
        var stored = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/{SnapshotRules.StoredStudyLimit}")).Json();
        Assert.False(stored.GetProperty("studiesOnRead").GetBoolean());

        var changes = await (await Client.GetAsync($"/reviews/{review}/outcomes/response/changes?from={SnapshotRules.StoredStudyLimit}&to={trials + 1}")).Json();
        var diff = changes.GetProperty("diff");
        Assert.Equal([$"t{trials - 1:000}", $"t{trials:000}"], diff.GetProperty("trialsAdded").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["t007"], diff.GetProperty("trialsRemoved").EnumerateArray().Select(t => t.GetString()));
        // The influence of a version stored without its per-study sections is its computed leave-one-out.
        Assert.Equal(k, changes.GetProperty("influence").GetArrayLength());
        var attribution = changes.GetProperty("attribution");
        Assert.True(attribution.GetProperty("matchesStored").GetBoolean());
        Assert.Equal(["TrialRecorded", "TrialRecorded", "TrialExcluded"],
            attribution.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("cause").GetProperty("type").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/reviews/{review}/outcomes/response/snapshots/{trials}/forest.svg")).StatusCode);
        // Paged across subgroups: a group's heading on every page with its studies, its diamond with its last.
        var first = await Client.GetStringAsync($"/reviews/{review}/outcomes/response/snapshots/{trials}/forest.svg?pageSize=20");
        var second = await Client.GetStringAsync($"/reviews/{review}/outcomes/response/snapshots/{trials}/forest.svg?pageSize=20&page=2");
        Assert.Contains("disease: RA", first);
        Assert.DoesNotContain("RA (k = ", first);
        Assert.DoesNotContain("disease: SLE", first);
        Assert.Contains("RA (k = ", second);
        Assert.Contains("disease: SLE", second);
        Assert.Contains("disease: RA", second);
        Assert.Contains("Random effects (k = ", first);
        Assert.Contains("Random effects (k = ", second);

        var rebuild = await (await Client.GetAsync($"/reviews/{review}/rebuild")).Json();
        Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());
        Assert.Equal(trials + 1, rebuild.GetProperty("versionsChecked").GetInt32());
    }
}
