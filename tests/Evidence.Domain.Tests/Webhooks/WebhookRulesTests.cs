using System.Net;
using System.Security.Cryptography;
using Evidence.Domain.Judgement;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Webhooks;

namespace Evidence.Domain.Tests.Webhooks;

public class WebhookRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:192.168.1.1")]
    [InlineData("64:ff9b::a00:1")]
    public void NonPublicAddress_Should_BeForbidden(string address) =>
        Assert.True(WebhookTargets.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("203.0.113.10")]
    [InlineData("8.8.8.8")]
    [InlineData("100.128.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddress_Should_BeAllowed(string address) =>
        Assert.False(WebhookTargets.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData(null)]
    [InlineData("hooks/relative")]
    [InlineData("ftp://example.org/hook")]
    [InlineData("https://user:pw@example.org/hook")]
    [InlineData("file:///etc/passwd")]
    public void MalformedTarget_Should_HaveAProblem(string? url) =>
        Assert.NotNull(WebhookTargets.FormProblem(url, out _));

    [Fact]
    public void Backoff_Should_Double_UpToTheLongest()
    {
        var retry = new WebhookRetry(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3600), TimeSpan.FromHours(24));

        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600],
            Enumerable.Range(1, 12).Select(n => retry.Backoff(n).TotalSeconds));
        Assert.Equal(3600, retry.Backoff(1000).TotalSeconds);
    }

    [Fact]
    public void FailedAttempts_Should_BeRetried_UntilTheGiveUpTimeAfterTheFirst()
    {
        var retry = new WebhookRetry(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3600), TimeSpan.FromHours(24));
        var delivery = new WebhookDelivery("msg_1", "sub_1", "r", "o", 2, 10, "{}", T0);

        var once = delivery.FailedAttempt(T0, 500, "the target answered 500", retry);
        var later = once.FailedAttempt(T0.AddHours(23), null, "timeout", retry);
        var last = later.FailedAttempt(T0.AddHours(24), 502, "the target answered 502", retry);

        Assert.Equal((DeliveryStatus.Pending, 1, T0.AddSeconds(5)), (once.Status, once.Attempts, once.NextAttemptAt!.Value));
        Assert.Equal((DeliveryStatus.Pending, 2, T0.AddHours(23).AddSeconds(10)), (later.Status, later.Attempts, later.NextAttemptAt!.Value));
        Assert.Equal((DeliveryStatus.Failed, 3, (DateTimeOffset?)null, 502), (last.Status, last.Attempts, last.NextAttemptAt, last.LastStatusCode));
        var delivered = later.Succeeded(T0.AddHours(23.5), 204);
        Assert.Equal((DeliveryStatus.Delivered, 3, T0, (string?)null), (delivered.Status, delivered.Attempts, delivered.FirstAttemptAt!.Value, delivered.LastError));
    }

    [Fact]
    public void SecretBox_Should_RoundTrip_OnlyForItsSubscription_AndItsKey()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var box = WebhookSecretBox.FromSetting(key, out _)!;
        var secret = WebhookSecret.New();

        var stored = box.Encrypt(secret, "sub_a");

        Assert.Equal(secret, box.Decrypt(stored, "sub_a"));
        Assert.DoesNotContain(secret[WebhookSecret.Prefix.Length..], stored);
        Assert.ThrowsAny<CryptographicException>(() => box.Decrypt(stored, "sub_b"));
        Assert.ThrowsAny<CryptographicException>(() => WebhookSecretBox.FromSetting(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), out _)!.Decrypt(stored, "sub_a"));
        Assert.Null(WebhookSecretBox.FromSetting(" ", out var none));
        Assert.Null(none);
        Assert.Null(WebhookSecretBox.FromSetting(Convert.ToBase64String(new byte[16]), out var shortKey));
        Assert.Contains("16 bytes", shortKey);
        Assert.Null(WebhookSecretBox.FromSetting("not base64!", out var garbled));
        Assert.Contains("not base64", garbled);
    }

    [Fact]
    public void Signature_Should_BeTheHmacOfIdTimestampAndBody()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var secret = WebhookSecret.Prefix + Convert.ToBase64String(key);

        var signature = WebhookSecret.Sign(secret, "msg_1", 1700000000, "{\"a\":1}");

        Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, "msg_1.1700000000.{\"a\":1}"u8.ToArray())), signature);
    }

    [Fact]
    public void Subscription_Should_Match_OnlyItsOutcomesAndKinds()
    {
        Signal Of(string kind) => new(kind, kind, new Dictionary<string, double?>(), new Dictionary<string, double?>());
        SnapshotTaken Version(string outcome, params Signal[] signals) =>
            new("r", outcome, 2, new SnapshotCause(Guid.Empty, "TrialRetracted", 9, "t", "u", T0, null),
                new SnapshotSummary(1, 0, 0, 0, 0.5, 0, 0, null, null, null, null, null), new ChangeFlags(false, false, false, false, false), signals);
        WebhookSubscription Subscription(string[] outcomes, string[] kinds) => new("s", "r", "https://example.org", outcomes, kinds, null, "", T0, "u");

        Assert.True(Subscription([], []).Matches(Version("o", Of(SignalKinds.Heterogeneity))));
        Assert.False(Subscription([], []).Matches(Version("o")));
        Assert.True(Subscription(["o"], [SignalKinds.TrialStatus]).Matches(Version("o", Of(SignalKinds.Significance), Of(SignalKinds.TrialStatus))));
        Assert.False(Subscription(["o"], [SignalKinds.TrialStatus]).Matches(Version("o", Of(SignalKinds.Significance))));
        Assert.False(Subscription(["p"], []).Matches(Version("o", Of(SignalKinds.Significance))));
    }
}
