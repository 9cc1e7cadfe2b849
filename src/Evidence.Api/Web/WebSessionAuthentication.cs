using System.Security.Claims;
using System.Text.Encodings.Web;
using Evidence.Api.Auth;
using Evidence.Domain.Access;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Evidence.Api.Web;

/// <summary>
/// Authenticates a request of the web view by its session cookie (<see cref="WebSession"/>): the
/// session must exist, not be expired, and its API key must still be valid (read as the API reads
/// keys, <see cref="ApiKeyCache"/>), so a revoked key ends its sessions. The visitor then has the
/// same name, key and role claims as a caller presenting that key; anything else is anonymous.
/// </summary>
public sealed class WebSessionAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDocumentStore store, ApiKeyCache keys, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "WebSession";
    public const string CookieName = "evidence_session";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(CookieName, out var secret) || string.IsNullOrEmpty(secret) || secret.Length > 100)
            return AuthenticateResult.NoResult();
        await using var session = store.QuerySession();
        var web = await session.LoadAsync<WebSession>(WebSession.IdOf(secret), Context.RequestAborted);
        if (web is null)
            return AuthenticateResult.NoResult();
        if (web.IsExpired(clock.GetUtcNow()))
        {
            // Nothing else removes a session that was never signed out of.
            await using var write = store.LightweightSession();
            write.Delete<WebSession>(web.Id);
            await write.SaveChangesAsync(Context.RequestAborted);
            return AuthenticateResult.NoResult();
        }
        var key = keys.Trusted(web.KeyId) ?? await session.LoadAsync<ApiKey>(web.KeyId, Context.RequestAborted);
        if (key is null || key.IsRevoked)
        {
            keys.Forget(web.KeyId);
            return AuthenticateResult.NoResult();
        }
        keys.Remember(key);
        return AuthenticateResult.Success(new AuthenticationTicket(Principal(key), SchemeName));
    }

    /// <summary>The claims a caller presenting <paramref name="key"/> has.</summary>
    public static ClaimsPrincipal Principal(ApiKey key)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, key.User), new(ApiKeyAuthentication.KeyIdClaim, key.Id) };
        if (key.IsAdministrator)
            claims.Add(new Claim(ClaimTypes.Role, ApiKeyAuthentication.AdministratorRole));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
    }
}
