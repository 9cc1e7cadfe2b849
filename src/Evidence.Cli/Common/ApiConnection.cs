using System.Net.Http.Headers;

namespace Evidence.Cli.Common;

/// <summary>
/// An HttpClient for a running API: <c>--api URL</c>, and the API key from <c>--key</c> or the
/// environment variable <c>EVIDENCE_API_KEY</c>, sent as <c>Authorization: Bearer</c>.
/// </summary>
public static class ApiConnection
{
    public const string KeyVariable = "EVIDENCE_API_KEY";

    public static HttpClient Create(Arguments args, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = new Uri(args.Required("api").TrimEnd('/') + "/"), Timeout = timeout };
        if ((args.Optional("key") ?? Environment.GetEnvironmentVariable(KeyVariable)) is { Length: > 0 } key)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }
}
