using Evidence.Domain.Access;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Evidence.Api.Web.Pages;

/// <summary>Signing out: the session is deleted from the store and its cookie from the browser.</summary>
public sealed class SignOutModel(IDocumentStore store) : WebPage
{
    public IActionResult OnGet() => Redirect(WebView.Root + "/reviews");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Request.Cookies.TryGetValue(WebSessionAuthentication.CookieName, out var secret) && !string.IsNullOrEmpty(secret))
        {
            await using var session = store.LightweightSession();
            session.Delete<WebSession>(WebSession.IdOf(secret));
            await session.SaveChangesAsync(ct);
        }
        Response.Cookies.Delete(WebSessionAuthentication.CookieName, new CookieOptions { Path = WebView.Root });
        return Redirect(WebView.Root + "/reviews");
    }
}
