using Evidence.Domain;
using Marten;

namespace Evidence.IntegrationTests;

public sealed class MartenSmokeTests(TestScope<MartenSmokeTests> scope) : IClassFixture<TestScope<MartenSmokeTests>>
{
    public sealed record SmokeHappened(string Text, int Number);

    [Fact]
    public async Task An_appended_event_is_read_back_from_postgres()
    {
        await using var store = DocumentStore.For(opts =>
        {
            opts.ConfigureEvidence(scope.Postgres, scope.Schema);
            opts.Events.AddEventType<SmokeHappened>();
        });
        var stream = $"smoke-{Guid.NewGuid():N}";

        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(stream, new SmokeHappened("hello", 42));
            await session.SaveChangesAsync();
        }

        await using var query = store.QuerySession();
        var events = await query.Events.FetchStreamAsync(stream);
        var single = Assert.Single(events);
        Assert.Equal(new SmokeHappened("hello", 42), single.Data);
        Assert.Equal(1, single.Version);
    }
}
