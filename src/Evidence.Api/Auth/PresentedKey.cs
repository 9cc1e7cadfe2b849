using Evidence.Domain.Access;

namespace Evidence.Api.Auth;

/// <summary>
/// The API key a request presents, as <c>Authorization: Bearer &lt;key&gt;</c> or
/// <c>X-Api-Key: &lt;key&gt;</c> (one of them, once), read from its headers before anything is looked up.
/// </summary>
/// <param name="Key">The key; null when none was presented or the headers are malformed.</param>
/// <param name="Problem">Why the headers are malformed; null when they are not.</param>
public sealed record PresentedKey(string? Key, string? Problem)
{
    public const string KeyHeader = "X-Api-Key";
    public const int MaxLength = 256;
    private const string Item = "evidence.auth.presented";
    private static readonly PresentedKey None = new(null, null);

    /// <summary>The id the key would have if it was issued (<see cref="ApiKey.IdOf"/>); null without a key.</summary>
    public string? Id { get; } = Key is null ? null : ApiKey.IdOf(Key);

    /// <summary>The request's key, read once and kept with the request.</summary>
    public static PresentedKey Of(HttpContext http)
    {
        if (http.Items.TryGetValue(Item, out var read))
            return (PresentedKey)read!;
        var presented = Read(http.Request);
        http.Items[Item] = presented;
        return presented;
    }

    private static PresentedKey Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        var apiKey = request.Headers[KeyHeader];
        if (authorization.Count == 0 && apiKey.Count == 0)
            return None;
        if (authorization.Count + apiKey.Count > 1)
            return new PresentedKey(null, "Send one API key, in Authorization or X-Api-Key, once.");
        var key = apiKey.Count == 1 ? apiKey[0] : null;
        if (authorization.Count == 1)
        {
            var value = authorization[0] ?? "";
            if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return new PresentedKey(null, "Authorization must be 'Bearer <API key>'.");
            key = value["Bearer ".Length..].Trim();
        }
        return string.IsNullOrEmpty(key) || key.Length > MaxLength
            ? new PresentedKey(null, "The API key is empty or too long.")
            : new PresentedKey(key, null);
    }
}
