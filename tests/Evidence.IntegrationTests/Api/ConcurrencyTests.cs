using System.Net;

namespace Evidence.IntegrationTests.Api;

/// <summary>Many clients changing one trial at once: optimistic concurrency lets exactly one win each version.</summary>
public sealed class ConcurrencyTests(ApiHost<ConcurrencyTests> host) : IClassFixture<ApiHost<ConcurrencyTests>>
{
    [Fact]
    public async Task TwentyClients_Should_EachRound_HaveExactlyOneWinner_AndNineteen412()
    {
        var client = host.Client;
        var review = await ReviewApiTests.CreateReviewAsync(client, "concurrent");
        await client.Post($"/reviews/{review}/trials", ReviewApiTests.Trial("he2020"));

        for (var round = 1; round <= 3; round++)
        {
            var version = round;
            var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(c => client.Post(
                $"/reviews/{review}/trials/he2020/corrections",
                new { data = new { response = new { ai = 100 * round + c } }, reason = $"round {round}, client {c}" },
                ifMatch: $"\"{version}\"")));

            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.PreconditionFailed));
        }
        var history = await (await client.GetAsync($"/reviews/{review}/trials/he2020/history")).Json();
        var trial = await (await client.GetAsync($"/reviews/{review}/trials/he2020")).Json();

        Assert.Equal(4, history.GetArrayLength());
        Assert.Equal(4, trial.GetProperty("version").GetInt64());
    }
}
