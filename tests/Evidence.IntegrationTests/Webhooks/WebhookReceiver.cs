using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evidence.IntegrationTests.Webhooks;

/// <summary>One request that reached the receiver, whether its signature held, and what it was answered.</summary>
public sealed record ReceivedWebhook(string Target, string Id, long Timestamp, string Body, bool SignatureValid, int Answered)
{
    public JsonElement Data => JsonDocument.Parse(Body).RootElement.GetProperty("data");

    public long Version => Data.GetProperty("version").GetInt64();
}

/// <summary>
/// A real HTTP receiver (Kestrel on 127.0.0.1, a free port): each target <c>/hooks/{name}</c> checks
/// every request's Standard Webhooks signature with the secret its subscription was given, and
/// answers what the test decides (200 unless told otherwise).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, string> secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<ReceivedWebhook, Task<int>>> answers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();

    private WebhookReceiver(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        receiver.app.MapPost("/hooks/{name}", receiver.ReceiveAsync);
        await receiver.app.StartAsync();
        receiver.BaseUrl = receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public string Url(string name) => $"{BaseUrl}/hooks/{name}";

    /// <summary>Verifies the target's requests with <paramref name="secret"/> (<c>whsec_…</c>).</summary>
    public void Trust(string name, string secret) => secrets[name] = secret;

    /// <summary>How the target answers from now on.</summary>
    public void Answer(string name, Func<ReceivedWebhook, Task<int>> answer) => answers[name] = answer;

    public IReadOnlyList<ReceivedWebhook> Received(string name) => received.Where(r => r.Target == name).ToList();

    /// <summary>What the target accepted (2xx), in the order it arrived.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted(string name) => Received(name).Where(r => r.Answered is >= 200 and < 300).ToList();

    /// <summary>Waits until the target has accepted <paramref name="count"/> deliveries.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAcceptedAsync(string name, int count, Func<string> whatElse, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (Accepted(name) is { } accepted && accepted.Count >= count)
                return accepted;
            await Task.Delay(50);
        }
        throw new TimeoutException($"'{name}' accepted {Accepted(name).Count} of {count} deliveries ({Received(name).Count} requests).\n{whatElse()}");
    }

    private async Task ReceiveAsync(string name, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = long.TryParse(context.Request.Headers["webhook-timestamp"].ToString(), out var t) ? t : -1;
        var valid = secrets.TryGetValue(name, out var secret) && Verify(secret, id, timestamp, body, context.Request.Headers["webhook-signature"].ToString());
        var unanswered = new ReceivedWebhook(name, id, timestamp, body, valid, 0);
        var status = answers.TryGetValue(name, out var answer) ? await answer(unanswered) : 200;
        // A signature that does not hold is never accepted, so a test waiting for deliveries fails.
        if (!valid)
            status = 401;
        received.Enqueue(unanswered with { Answered = status });
        context.Response.StatusCode = status;
    }

    /// <summary>The Standard Webhooks check, written from the specification rather than with the sender's code.</summary>
    private static bool Verify(string secret, string id, long timestamp, string body, string signatures)
    {
        if (!secret.StartsWith("whsec_", StringComparison.Ordinal) || timestamp < 0)
            return false;
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
                      && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
