using Evidence.Domain.Access;

namespace Evidence.Domain.Tests;

public sealed class WebSessionTests
{
    private static readonly ApiKey Key = new("0123456789abcdef", "hash", "mia", false, DateTimeOffset.UnixEpoch, "admin");

    [Fact]
    public void NewSecret_Should_Be32RandomBytes_InBase64Url()
    {
        var a = WebSession.NewSecret();
        var b = WebSession.NewSecret();
        Assert.NotEqual(a, b);
        Assert.Equal(43, a.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", a);
        Assert.Equal(32, Convert.FromBase64String(a.Replace('-', '+').Replace('_', '/') + "=").Length);
    }

    [Fact]
    public void Open_Should_StoreTheHashOfTheSecret_NotTheSecretOrTheKey()
    {
        var secret = WebSession.NewSecret();
        var session = WebSession.Open(secret, Key, DateTimeOffset.UnixEpoch);
        Assert.Equal(64, session.Id.Length);
        Assert.Equal(WebSession.IdOf(secret), session.Id);
        Assert.DoesNotContain(secret, session.ToString());
        Assert.Equal(("mia", Key.Id), (session.User, session.KeyId));
    }

    [Fact]
    public void Session_Should_ExpireAFixedLifetimeAfterSigningIn()
    {
        var session = WebSession.Open(WebSession.NewSecret(), Key, DateTimeOffset.UnixEpoch);
        Assert.Equal(TimeSpan.FromHours(8), WebSession.Lifetime);
        Assert.False(session.IsExpired(DateTimeOffset.UnixEpoch + WebSession.Lifetime - TimeSpan.FromSeconds(1)));
        Assert.True(session.IsExpired(DateTimeOffset.UnixEpoch + WebSession.Lifetime));
    }
}
