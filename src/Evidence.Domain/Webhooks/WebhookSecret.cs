using System.Security.Cryptography;
using System.Text;

namespace Evidence.Domain.Webhooks;

/// <summary>
/// A subscription's signing secret in the Standard Webhooks form: <c>whsec_</c> and the base64 of
/// 32 random bytes; the HMAC key is those bytes.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    private const int KeyBytes = 32;

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>
    /// <c>v1,</c> and the base64 of HMAC-SHA256 under the secret's key of <c>{id}.{timestamp}.{body}</c>,
    /// the value of the <c>webhook-signature</c> header.
    /// </summary>
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret[Prefix.Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}

/// <summary>Webhooks were asked for, but no usable key to keep their secrets is configured.</summary>
public sealed class WebhooksNotConfiguredException(string? problem)
    : DomainException($"Webhooks are not configured: {problem ?? "no key is set"}. Set {WebhookSecretBox.Setting} (Webhooks__SecretKey in the environment) to the base64 of 32 random bytes, the same for the API and the worker.");

/// <summary>
/// Keeps secrets encrypted with AES-GCM under the key of <c>Webhooks:SecretKey</c> (base64, 32
/// bytes), shared by the API, which encrypts, and the worker, which decrypts. The subscription's id
/// is authenticated with each secret, so a stored secret cannot be moved to another subscription.
/// Stored form: base64 of nonce (12 bytes), ciphertext, tag (16 bytes).
/// </summary>
public sealed class WebhookSecretBox
{
    public const string Setting = "Webhooks:SecretKey";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] key;

    private WebhookSecretBox(byte[] key) => this.key = key;

    /// <summary>
    /// The box for a configured key; null when none is configured, or when the key is not the base64
    /// of 32 bytes (<paramref name="problem"/> says what is wrong with it).
    /// </summary>
    public static WebhookSecretBox? FromSetting(string? base64, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(base64))
            return null;
        var key = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), key, out var length))
        {
            problem = $"{Setting} is not base64";
            return null;
        }
        if (length != 32)
        {
            problem = $"{Setting} is {length} bytes, not 32";
            return null;
        }
        return new WebhookSecretBox(key[..32]);
    }

    public string Encrypt(string secret, string subscriptionId)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(subscriptionId));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret; throws <see cref="CryptographicException"/> when it was sealed under another key or for another subscription.</summary>
    public string Decrypt(string stored, string subscriptionId)
    {
        var sealedBytes = Convert.FromBase64String(stored);
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plain, Encoding.UTF8.GetBytes(subscriptionId));
        return Encoding.UTF8.GetString(plain);
    }
}
