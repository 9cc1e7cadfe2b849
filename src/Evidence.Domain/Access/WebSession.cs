using System.Security.Cryptography;
using System.Text;

namespace Evidence.Domain.Access;

/// <summary>
/// A visitor of the web view signed in with an API key. The browser holds only a random session id
/// (256 bits) in a cookie; the document is stored under the SHA-256 of that id, so a copy of the
/// table cannot be replayed as a cookie. It names the key it was opened with, so revoking the key
/// ends it, and it ends at <see cref="Expires"/> whatever happens (a fixed lifetime, not sliding).
/// </summary>
/// <param name="Id">The SHA-256 (lowercase hex) of the session id the cookie carries.</param>
/// <param name="User">The key's user.</param>
/// <param name="KeyId">The id of the API key that opened it (<see cref="ApiKey.Id"/>).</param>
/// <param name="Created">When the visitor signed in.</param>
/// <param name="Expires">When the session ends: <see cref="Lifetime"/> after <paramref name="Created"/>.</param>
public sealed record WebSession(string Id, string User, string KeyId, DateTimeOffset Created, DateTimeOffset Expires)
{
    /// <summary>How long a session lasts after signing in.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>A new session id: 32 random bytes, base64url.</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The document id of the session whose cookie holds <paramref name="secret"/>.</summary>
    public static string IdOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static WebSession Open(string secret, ApiKey key, DateTimeOffset now) => new(IdOf(secret), key.User, key.Id, now, now + Lifetime);

    public bool IsExpired(DateTimeOffset now) => now >= Expires;
}
