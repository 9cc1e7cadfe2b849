using Evidence.Api.Auth;
using Microsoft.AspNetCore.Authentication;

namespace Evidence.Api.Web;

/// <summary>
/// The read-only web view under <c>/ui</c>: Razor Pages rendered on the server, authenticated by a
/// session cookie instead of an API key, with a strict content security policy (no inline script,
/// nothing from another origin).
/// </summary>
public static class WebView
{
    public const string Root = "/ui";
    private const string EitherScheme = "Evidence";

    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; " +
        "base-uri 'none'; frame-ancestors 'none'";

    public static bool IsWebRequest(HttpContext http) => http.Request.Path.StartsWithSegments(Root);

    /// <summary>One default scheme that asks the session cookie under <c>/ui</c> and the API key elsewhere.</summary>
    public static AuthenticationBuilder AddEvidenceAuthentication(this IServiceCollection services)
    {
        var builder = services.AddAuthentication(EitherScheme)
            .AddPolicyScheme(EitherScheme, null, o => o.ForwardDefaultSelector = http =>
                IsWebRequest(http) ? WebSessionAuthentication.SchemeName : ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, WebSessionAuthentication>(WebSessionAuthentication.SchemeName, null);
        services.AddRazorPages(o => o.RootDirectory = "/Web/Pages");
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "evidence_antiforgery";
            o.Cookie.Path = Root;
            o.FormFieldName = "__form";
        });
        return builder;
    }

    /// <summary>The pages, their style sheet, and the headers every page carries.</summary>
    public static WebApplication UseEvidenceWebView(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (IsWebRequest(http) || http.Request.Path.StartsWithSegments("/scalar"))
            {
                var headers = http.Response.Headers;
                if (IsWebRequest(http))
                    headers.ContentSecurityPolicy = Policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
            }
            await next(http);
        });
        app.UseStaticFiles();
        app.MapRazorPages();
        app.MapGet(Root, () => Results.Redirect($"{Root}/reviews")).ExcludeFromDescription();
        return app;
    }
}
