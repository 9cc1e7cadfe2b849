using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Evidence.IntegrationTests.Api;

/// <summary>To anyone who is not a member, a private review and a missing one answer alike, on every route.</summary>
public sealed partial class ExistenceTests(ApiHost<ExistenceTests> host) : IClassFixture<ApiHost<ExistenceTests>>
{
    private HttpClient Client => host.Client;

    /// <summary>A value for each route parameter under <c>/reviews/{review}</c>; the review's is filled in per request.</summary>
    private static readonly Dictionary<string, string> RouteValues = new()
    {
        ["trial"] = "he2020", ["outcome"] = "response", ["version"] = "1", ["format"] = "svg", ["user"] = "admin", ["subscription"] = "sub_0",
    };

    [Fact]
    public async Task PrivateReview_Should_AnswerAsAMissingOne_OnEveryRoute_WithAndWithoutAKey()
    {
        var review = await ReviewApiTests.CreateReviewAsync(Client, "existence-private");
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{review}/trials", ReviewApiTests.Trial("he2020"))).StatusCode);
        const string missing = "existence-missing";
        var stranger = await Client.CreateKeyAsync("stranger");
        var callers = new (string Name, string? Key)[] { ("no key", null), ("stranger", stranger), ("refused key", "ev_made-up") };
        var routes = Routes();

        Assert.True(routes.Count >= 25, $"only {routes.Count} routes found under /reviews/{{review}}");
        foreach (var (method, template) in routes)
        {
            foreach (var (name, key) in callers)
            {
                var hidden = await SendAsync(method, Fill(template, review), key);
                var absent = await SendAsync(method, Fill(template, missing), key);
                var what = $"{method} {template} ({name})";

                Assert.Equal(absent.Status, hidden.Status);
                Assert.Equal(absent.Body.Replace(missing, "{review}", StringComparison.Ordinal), hidden.Body.Replace(review, "{review}", StringComparison.Ordinal));
                Assert.True(hidden.Status >= 400, what);
                // Reads without a key find nothing; writes without one, and refused keys, are refused before the review is looked up.
                var expected = key is null
                    ? (method == "GET" && !OwnersOnly(template) ? 404 : 401)
                    : key == stranger ? 404 : 401;
                Assert.True(expected == hidden.Status, $"{what}: {hidden.Status} {hidden.Body}");
            }
        }
    }

    [Fact]
    public async Task CreatingAReview_Should_AnswerAlike_WhetherOrNotAPrivateReviewHoldsTheId()
    {
        var review = await ReviewApiTests.CreateReviewAsync(Client, "existence-taken");
        var stranger = await Client.CreateKeyAsync("newcomer");

        var taken = await Client.Post("/reviews", new { id = review, title = "t", question = "q" }, apiKey: stranger);
        var free = await Client.Post("/reviews", new { id = "existence-free", title = "t", question = "q" }, apiKey: stranger);
        var assigned = await Client.Post("/reviews", new { title = "t", question = "q" }, apiKey: stranger);
        var id = (await assigned.Json()).GetProperty("id").GetString()!;
        var ownRead = await Client.GetAs($"/reviews/{id}", stranger);
        var administratorChooses = await Client.Post("/reviews", new { id = review, title = "t", question = "q" });

        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Equal(await Normalised(free), await Normalised(taken));
        Assert.Equal(["id"], await free.ErrorFields());
        Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);
        Assert.Matches("^r-[a-z0-9]{20}$", id);
        Assert.Equal($"/reviews/{id}", assigned.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, ownRead.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, administratorChooses.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/reviews/existence-free")).StatusCode);
    }

    /// <summary>Reads that need more than a viewer, so are refused without a key before the review is looked up.</summary>
    private static bool OwnersOnly(string template) =>
        template.EndsWith("/rebuild", StringComparison.Ordinal) || template.Contains("/subscriptions", StringComparison.Ordinal);

    private List<(string Method, string Template)> Routes() =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/reviews/{review}", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern.RawText!)))
            .Distinct()
            .OrderBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => r.m, StringComparer.Ordinal)
            .ToList();

    private static string Fill(string template, string review) =>
        Parameter().Replace(template, m => m.Groups[1].Value == "review" ? review : RouteValues[m.Groups[1].Value]);

    private async Task<(int Status, string Body)> SendAsync(string method, string path, string? key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET" && method != "DELETE")
            request.Content = new StringContent("""{"reason":"r"}""", Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        if (key is not null)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var client = host.ClientFor(null);
        var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await Normalised(response));
    }

    /// <summary>The body without what differs between any two answers (the trace id).</summary>
    private static async Task<string> Normalised(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0 || text[0] != '{')
            return text;
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(text)!;
        json.Remove("traceId");
        return JsonSerializer.Serialize(json.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    [GeneratedRegex(@"\{(\w+)[^}]*\}")]
    private static partial Regex Parameter();
}
