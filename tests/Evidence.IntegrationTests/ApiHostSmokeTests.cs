using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Evidence.IntegrationTests;

/// <summary>The API host boots against the real services and describes itself.</summary>
public sealed class ApiHostSmokeTests(TestScope<ApiHostSmokeTests> scope) : IClassFixture<TestScope<ApiHostSmokeTests>>
{
    [Fact]
    public async Task The_api_is_live_ready_and_serves_its_openapi_document()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = scope.Postgres,
                ["ConnectionStrings:RabbitMq"] = scope.RabbitMq.ToString(),
                ["Marten:Schema"] = scope.Schema,
            })));
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"/health/ready: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");

        var openApi = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Equal("application/json", openApi.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await openApi.Content.ReadAsStringAsync());
        Assert.True(document.RootElement.TryGetProperty("openapi", out _));
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/reviews", out _));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scalar")).StatusCode);
    }
}
