using System.Net.Sockets;
using System.Text;
using Evidence.Domain.Webhooks;

namespace Evidence.Worker.Webhooks;

/// <summary>What one attempt came to: accepted (2xx) or not, with the status code or the error.</summary>
public sealed record AttemptResult(bool Accepted, int? StatusCode, string? Error);

/// <summary>
/// Sends one attempt of a delivery: a JSON POST with the Standard Webhooks headers
/// (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>). Redirects are not
/// followed (a 3xx is a failed attempt), no proxy is used, and every connection checks the
/// addresses it is about to connect to (<see cref="WebhookTargets.IsForbidden"/>), so a name that
/// resolves elsewhere after the subscription was checked is refused all the same.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient client;
    private readonly WebhookOptions options;
    private readonly TimeProvider clock;

    public WebhookSender(WebhookOptions options, TimeProvider clock)
    {
        this.options = options;
        this.clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = options.Timeout,
            ConnectCallback = ConnectAsync,
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Evidence-Webhooks/1");
    }

    public async Task<AttemptResult> SendAsync(WebhookSubscription subscription, WebhookDelivery delivery, string secret, CancellationToken stopping)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSecret.Sign(secret, delivery.Id, timestamp, delivery.Body));
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        attempt.CancelAfter(options.Timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300
                ? new AttemptResult(true, status, null)
                : new AttemptResult(false, status, status is >= 300 and < 400 ? "redirects are not followed" : $"the target answered {status}");
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new AttemptResult(false, null, $"no answer within {options.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return new AttemptResult(false, null, Describe(ex));
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await WebhookTargets.ResolveAsync(context.DnsEndPoint.Host, ct);
        if (addresses.Length == 0)
            throw new TargetRefusedException($"'{context.DnsEndPoint.Host}' does not resolve");
        if (!options.AllowPrivateTargets && addresses.FirstOrDefault(WebhookTargets.IsForbidden) is { } refused)
            throw new TargetRefusedException($"'{context.DnsEndPoint.Host}' resolves to {refused}, which is not a public address");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Only the addresses just checked, never a fresh resolution.
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The innermost message: the refused address, the refused connection, the failed name lookup.</summary>
    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        return inner is TargetRefusedException or SocketException ? inner.Message : ex.Message;
    }

    public void Dispose() => client.Dispose();

    private sealed class TargetRefusedException(string message) : Exception(message);
}
