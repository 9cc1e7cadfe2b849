using System.Net;
using System.Text;
using Evidence.Contracts;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Snapshots;
using Npgsql;
using RabbitMQ.Client;

namespace Evidence.IntegrationTests.Faults;

/// <summary>
/// The broker or the database taken away while the system runs, and a message the worker cannot read;
/// each ends with "nothing lost, nothing duplicated": the versions run 1..n and a rebuild from the
/// events gives exactly the stored snapshots.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FaultTests(SnapshotPipeline<FaultTests> pipeline) : IClassFixture<SnapshotPipeline<FaultTests>>
{
    private HttpClient Client => pipeline.Client;

    private async Task ReviewAsync(string id)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Post("/reviews", new { id, title = "t", question = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Post($"/reviews/{id}/outcomes",
            new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "REML" })).StatusCode);
    }

    private Task<HttpResponseMessage> RecordAsync(string review, int n) =>
        Client.Post($"/reviews/{review}/trials", new { id = $"t{n}", year = 2000 + n, source = "s", data = new { fever = new { xi = 2 + n, ni = 40 } } });

    private Task NothingLostNothingDuplicatedAsync(string review, int versions) =>
        pipeline.AssertNothingLostNothingDuplicatedAsync(review, "fever", versions);

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(503, (await response.Json()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task BrokerDown_Should_StillAcceptCommands_AndSnapshotsCatchUpAfterwards()
    {
        await ReviewAsync("broker-down");
        await RecordAsync("broker-down", 1);
        await pipeline.WaitForVersionsAsync("broker-down", "fever", 1);
        await LocalServices.StopAsync("rabbitmq");
        try
        {
            for (var n = 2; n <= 6; n++)
                Assert.Equal(HttpStatusCode.Created, (await RecordAsync("broker-down", n)).StatusCode);
        }
        finally
        {
            await LocalServices.StartAsync("rabbitmq");
        }
        await NothingLostNothingDuplicatedAsync("broker-down", 6);
    }

    [Fact]
    public async Task DatabaseDown_Should_Answer503WithRetryAfter_AndRecoverByItself()
    {
        await ReviewAsync("database-down");
        await RecordAsync("database-down", 1);
        // The worker is running and has its first version: the outage hits a system at work, not one starting up.
        await pipeline.WaitForVersionsAsync("database-down", "fever", 1);
        await LocalServices.StopAsync("postgres");
        HttpResponseMessage read, write;
        try
        {
            read = await Client.GetAsync("/reviews/database-down");
            write = await RecordAsync("database-down", 2);
        }
        finally
        {
            await LocalServices.StartAsync("postgres");
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await Client.GetAsync("/reviews/database-down")).IsSuccessStatusCode && DateTime.UtcNow < deadline)
            await Task.Delay(500);
        var after = await RecordAsync("database-down", 3);

        await AssertUnavailableAsync(read);
        await AssertUnavailableAsync(write);
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        await NothingLostNothingDuplicatedAsync("database-down", 2);
    }

    /// <summary>
    /// A transaction that took its event's sequence number when the database stopped never commits:
    /// the number is a gap in the log from then on. The daemon must find the gap dead once the
    /// database is back (no transaction alive can fill it) and forward the next command.
    /// </summary>
    [Fact]
    public async Task DatabaseDown_WithAnAppendInFlight_Should_LeaveAGapThatHoldsNothingBack()
    {
        await ReviewAsync("in-flight");
        await RecordAsync("in-flight", 1);
        await pipeline.WaitForVersionsAsync("in-flight", "fever", 1);
        var connection = new NpgsqlConnection(pipeline.Scope.Postgres);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var draw = new NpgsqlCommand($"select nextval('{pipeline.Scope.Schema}.mt_events_sequence')", connection, transaction))
            await draw.ExecuteScalarAsync();
        await LocalServices.StopAsync("postgres");
        try
        {
            // The server has ended the transaction; its connection is broken.
            await Assert.ThrowsAnyAsync<Exception>(() => transaction.CommitAsync());
        }
        finally
        {
            await LocalServices.StartAsync("postgres");
            await connection.DisposeAsync();
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpResponseMessage after;
        while ((after = await RecordAsync("in-flight", 2)).StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
            await Task.Delay(500);

        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        await NothingLostNothingDuplicatedAsync("in-flight", 2);
    }

    /// <summary>Waits until the worker has declared its queue: a message sent before that would be returned and dropped.</summary>
    private static async Task QueueExistsAsync(IConnection connection, string queue)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var probe = await connection.CreateChannelAsync();
            try
            {
                await probe.QueueDeclarePassiveAsync(queue);
                return;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    [Fact]
    public async Task PoisonMessage_Should_LandInTheErrorQueue_AndBlockNothing()
    {
        var factory = new ConnectionFactory { Uri = pipeline.Scope.RabbitMq };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await QueueExistsAsync(connection, Queues.Snapshots);
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true };
        await channel.BasicPublishAsync("", Queues.Snapshots, true, properties, Encoding.UTF8.GetBytes("{ this is not a message"));

        await ReviewAsync("after-poison");
        for (var n = 1; n <= 3; n++)
            await RecordAsync("after-poison", n);
        await NothingLostNothingDuplicatedAsync("after-poison", 3);

        // The worker retries a failing message for several seconds before it gives it up to the error queue.
        var errors = 0u;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (errors == 0 && DateTime.UtcNow < deadline)
        {
            await using var probe = await connection.CreateChannelAsync();
            try
            {
                errors = (await probe.QueueDeclarePassiveAsync(Queues.Snapshots + "_error")).MessageCount;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // The error queue does not exist until the first message lands in it.
            }
            if (errors == 0)
                await Task.Delay(250);
        }
        using var management = (await EvidenceServices.GetAsync()).ManagementClient();
        var queues = await management.GetStringAsync($"api/queues/{Uri.EscapeDataString(pipeline.Scope.VirtualHost)}?columns=name,messages");
        Assert.True(errors == 1, $"error queue holds {errors} message(s); queues: {queues}; worker log:\n{pipeline.Worker.Output}");
    }
}
