using System.Net;
using System.Net.Sockets;

namespace Evidence.Domain.Webhooks;

/// <summary>
/// Which targets a webhook may be sent to, against server-side request forgery: an absolute http or
/// https URL without user info, whose host's addresses are all public. Refused: private (10/8,
/// 172.16/12, 192.168/16), loopback, link-local, unspecified ("this network" 0/8), multicast and
/// broadcast, carrier-grade NAT (100.64/10), IPv6 unique-local (fc00::/7) and site-local, and the
/// IPv4-mapped and NAT64 forms of the IPv4 ones. The address check runs when a subscription is made
/// and again for every connection, so a name that later resolves elsewhere is refused too.
/// </summary>
public static class WebhookTargets
{
    public const int MaxUrlLength = 2000;

    /// <summary>What is wrong with <paramref name="url"/> as a target's form; null when it is an acceptable URL.</summary>
    public static string? FormProblem(string? url, out Uri? target)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(url))
            return "is required.";
        if (url.Length > MaxUrlLength)
            return $"must be at most {MaxUrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            return "must be an absolute http or https URL.";
        if (parsed.UserInfo.Length > 0)
            return "must not carry user info (credentials) in the URL.";
        if (parsed.Host.Length == 0)
            return "must name a host.";
        target = parsed;
        return null;
    }

    /// <summary>
    /// What is wrong with where <paramref name="target"/> points: its host resolves to nothing or to
    /// an address that is not public; null when every address is public or private targets are allowed.
    /// </summary>
    public static async Task<string?> AddressProblemAsync(Uri target, bool allowPrivate, CancellationToken ct)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(target.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"names a host ('{target.Host}') that does not resolve.";
        }
        if (addresses.Length == 0)
            return $"names a host ('{target.Host}') that does not resolve.";
        if (!allowPrivate && addresses.FirstOrDefault(IsForbidden) is { } refused)
            return $"resolves to {refused}, a private, loopback, link-local or otherwise non-public address; webhooks go to public addresses only.";
        return null;
    }

    /// <summary>The addresses of a host name, or the literal address itself.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);

    /// <summary>True for an address a webhook must not be sent to (see the type's summary).</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            return IsForbidden(address.MapToIPv4());
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return IsForbiddenV4(bytes);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return true;
        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback))
            return true;
        if (bytes[0] == 0xff)
            return true; // multicast ff00::/8
        if ((bytes[0] & 0xfe) == 0xfc)
            return true; // unique-local fc00::/7
        if (bytes[0] == 0xfe && (bytes[1] & 0xc0) is 0x80 or 0xc0)
            return true; // link-local fe80::/10, site-local fec0::/10
        // IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms carry an IPv4 address in their last four bytes.
        var compatible = bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        var nat64 = bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        return (compatible || nat64) && IsForbiddenV4(bytes[12..]);
    }

    private static bool IsForbiddenV4(byte[] b) =>
        b[0] is 0 or 10 or 127 || b[0] >= 224 // "this network", private, loopback, multicast 224/4, reserved 240/4 and broadcast
        || (b[0] == 169 && b[1] == 254) // link-local
        || (b[0] == 172 && (b[1] & 0xf0) == 16) // private 172.16/12
        || (b[0] == 192 && b[1] == 168) // private
        || (b[0] == 100 && (b[1] & 0xc0) == 64); // carrier-grade NAT 100.64/10
}
