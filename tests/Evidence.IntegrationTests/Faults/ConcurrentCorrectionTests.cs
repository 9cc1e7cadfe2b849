using System.Net;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Snapshots;

namespace Evidence.IntegrationTests.Faults;

/// <summary>
/// Many editors correcting one trial at the same moment, each from the same version: optimistic
/// concurrency lets exactly one win a round, and the pipeline turns each win into exactly one version.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ConcurrentCorrectionTests(SnapshotPipeline<ConcurrentCorrectionTests> pipeline) : IClassFixture<SnapshotPipeline<ConcurrentCorrectionTests>>
{
    private const int Clients = 20;
    private const int Rounds = 4;
    private const string Review = "contended";

    [Fact]
    public async Task ConcurrentCorrections_Should_HaveOneWinnerARound_And412sNamingTheCurrentVersion()
    {
        var client = pipeline.Client;
        await ReviewApiTests.CreateReviewAsync(client, Review);
        Assert.Equal(HttpStatusCode.Created, (await client.Post($"/reviews/{Review}/trials", ReviewApiTests.Trial("he2020"))).StatusCode);
        var winners = new List<double>();

        for (var round = 1; round <= Rounds; round++)
        {
            var version = (await client.GetAsync($"/reviews/{Review}/trials/he2020")).Headers.ETag!.Tag;
            var answers = await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => client.Post(
                $"/reviews/{Review}/trials/he2020/corrections",
                new { data = new { response = new { ai = 100 * round + c } }, reason = $"round {round}, client {c}" },
                ifMatch: version)));

            var won = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            var lost = answers.Where(a => a.StatusCode == HttpStatusCode.PreconditionFailed).ToList();
            Assert.Equal(Clients - 1, lost.Count);
            foreach (var answer in lost)
            {
                var problem = await answer.Json();
                Assert.True(problem.TryGetProperty("currentVersion", out var current), $"round {round}: a 412 without the current version: {problem}");
                Assert.Equal(round + 1, current.GetInt64());
            }
            winners.Add((await won.Json()).GetProperty("data").GetProperty("response").GetProperty("ai").GetDouble());
        }

        var history = await (await client.GetAsync($"/reviews/{Review}/trials/he2020/history")).Json();
        var corrections = history.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "TrialCorrected").ToList();
        Assert.Equal(winners, corrections.Select(e => e.GetProperty("changes").EnumerateArray()
            .Single(c => c.GetProperty("field").GetString() == "data.response.ai").GetProperty("new").GetDouble()));
        var versions = await pipeline.AssertNothingLostNothingDuplicatedAsync(Review, "response", 1 + Rounds);
        Assert.Equal(corrections.Select(e => e.GetProperty("sequence").GetInt64()),
            versions.EnumerateArray().Skip(1).Select(v => v.GetProperty("cause").GetProperty("sequence").GetInt64()));
        await pipeline.AssertNothingLostNothingDuplicatedAsync(Review, "injection-site", 1);
    }
}
