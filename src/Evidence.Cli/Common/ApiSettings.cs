using System.ComponentModel;
using System.Net.Http.Headers;
using Spectre.Console.Cli;

namespace Evidence.Cli.Common;

/// <summary>
/// The options of a command that works on a review through a running API: <c>--review ID</c>,
/// <c>--api URL</c>, and the API key from
/// <c>--key</c> or the environment variable <c>EVIDENCE_API_KEY</c>, sent as <c>Authorization: Bearer</c>.
/// </summary>
public class ApiSettings : CommandSettings
{
    public const string KeyVariable = "EVIDENCE_API_KEY";

    [CommandOption("--api <URL>", isRequired: true)]
    [Description("Base address of the Evidence API, e.g. http://localhost:5080")]
    public string Api { get; set; } = "";

    [CommandOption("--key <API_KEY>")]
    [Description("API key, sent as a bearer token; defaults to the environment variable " + KeyVariable)]
    public string? Key { get; set; }

    [CommandOption("--review <ID>", isRequired: true)]
    [Description("Id of the review")]
    public string Review { get; set; } = "";

    /// <summary>An HttpClient for the API, with the key (if any) on every request.</summary>
    public HttpClient Connect(TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = new Uri(Api.TrimEnd('/') + "/"), Timeout = timeout };
        if ((Key ?? Environment.GetEnvironmentVariable(KeyVariable)) is { Length: > 0 } key)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }
}
