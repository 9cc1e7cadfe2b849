using Scalar.AspNetCore;

namespace Evidence.Api.Web;

/// <summary>
/// The API reference page (<c>/scalar</c>): its title and introduction, and every feature of the
/// page that would call its vendor's cloud switched off (the AI chat, the SDK and deploy tools, the
/// request proxy, telemetry, web fonts), so a visitor's browser talks to this API only.
/// </summary>
public static class ApiReference
{
    /// <summary>The introduction at the top of the reference (Markdown).</summary>
    public const string Introduction = """
        Evidence keeps living systematic reviews: trials and their corrections go in as events, and a
        worker pools each outcome into versioned estimates that say what changed and why.

        **Authenticating.** Reading a public review needs nothing. Everything else needs an API key,
        sent as `Authorization: Bearer <key>` (or `X-Api-Key: <key>`); an administrator issues keys
        with `POST /api-keys`. A private review answers a non-member exactly as a missing one (404).

        **Reading it as a person.** The [web view](/ui/reviews) shows the same reviews, estimates,
        plots and audit trail in a browser. The project's [README](/readme) explains the model, the
        security model, the signals and how to run it.
        """;

    /// <summary>The README, served as plain text at <c>/readme</c> so the reference can link to it.</summary>
    public static IEndpointRouteBuilder MapReadme(this IEndpointRouteBuilder app)
    {
        app.MapGet("/readme", () =>
        {
            using var stream = typeof(ApiReference).Assembly.GetManifestResourceStream("README.md");
            return stream is null ? Results.NotFound() : Results.Text(new StreamReader(stream).ReadToEnd(), "text/plain; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    public static void Configure(ScalarOptions options)
    {
        options.WithTitle("Evidence API reference")
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .HideDeveloperTools()
            .DisableDefaultFonts()
            .HideClientButton();
        // Requests from "try it" go straight from the browser to this API, never through the vendor's proxy.
        options.ProxyUrl = null;
    }
}
