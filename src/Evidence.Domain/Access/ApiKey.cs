using System.Security.Cryptography;
using System.Text;

namespace Evidence.Domain.Access;

/// <summary>
/// An API key as stored: never the key itself, only its SHA-256. The document id is the first 16 hex
/// digits of that hash, so a presented key is found by hashing it, then compared in constant time.
/// </summary>
public sealed record ApiKey(string Id, string Hash, string User, bool IsAdministrator, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt = null, string? RevokedBy = null)
{
    public const string Prefix = "ev_";

    public bool IsRevoked => RevokedAt is not null;

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string IdOf(string key) => HashOf(key)[..16];

    /// <summary>A new random key (256 bits), shown once to whoever asked for it.</summary>
    public static string NewKey() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public bool Matches(string key) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash), Encoding.ASCII.GetBytes(HashOf(key)));
}
