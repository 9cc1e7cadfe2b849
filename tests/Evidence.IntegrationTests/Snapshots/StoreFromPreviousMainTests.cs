using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Evidence.Domain.Outcomes;
using Evidence.Domain.Reviews;
using Evidence.IntegrationTests.Api;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>
/// A store written by an earlier engine, read by this one. <c>Fixtures/store-d898f86.json.gz</c> holds
/// the raw rows of every table a rebuild reads (streams, events, review and trial documents, snapshots)
/// as commit d898f86 wrote them: the LD-IL-2 demo imported and corrected, and a review with an
/// outcome for every measure, methods from FE to PETO, subgroups, a correction, an exclusion and
/// changes of analysis, snapshotted by that commit's worker. They were taken with that commit's
/// API and worker (this project's <see cref="SnapshotPipeline{TTests}"/>), once the snapshots had caught
/// up, as <c>select json_agg(row_to_json(t)) from {schema}.{table} t</c> per table. The rows go into a
/// fresh schema as they are (no serializer in between), then the current API rebuilds them.
/// </summary>
public sealed class StoreFromPreviousMainTests(ApiHost<StoreFromPreviousMainTests> host) : IClassFixture<ApiHost<StoreFromPreviousMainTests>>
{
    private static readonly string[] Tables = ["mt_streams", "mt_events", "mt_doc_review", "mt_doc_trial", "mt_doc_snapshot"];

    private static readonly Lazy<JsonElement> Store = new(() =>
    {
        using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Snapshots", "Fixtures", "store-d898f86.json.gz"));
        using var json = new GZipStream(file, CompressionMode.Decompress);
        return JsonDocument.Parse(json).RootElement.Clone();
    });

    private static readonly SemaphoreSlim Loading = new(1, 1);
    private static bool loaded;

    [Theory]
    [InlineData("ld-il2")]
    [InlineData("vocabulary")]
    public async Task Rebuild_Should_ReportNoDifference_OnAStoreTheEarlierEngineWrote(string review)
    {
        await LoadAsync();
        var stored = Store.Value.GetProperty("mt_doc_snapshot").EnumerateArray().Count(s => s.GetProperty("data").GetProperty("reviewId").GetString() == review);

        var response = await host.Client.GetAsync($"/reviews/{review}/rebuild");
        var report = await response.Json();

        Assert.True(response.IsSuccessStatusCode, report.ToString());
        Assert.True(report.GetProperty("identical").GetBoolean(), report.ToString());
        Assert.Equal(stored, report.GetProperty("versionsChecked").GetInt32());
        Assert.True(stored > 10);
    }

    [Fact]
    public async Task EventsAndReviews_Should_SerializeAsTheEarlierEngineWroteThem()
    {
        await LoadAsync();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var serializer = store.Options.Serializer();
        await using var session = store.QuerySession();
        var written = Store.Value.GetProperty("mt_events").EnumerateArray().ToDictionary(e => e.GetProperty("seq_id").GetInt64(), e => e.GetProperty("data"));

        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        Assert.Equal(written.Count, events.Count);
        foreach (var e in events)
            Same(written[e.Sequence], serializer.ToJson(e.Data), $"event #{e.Sequence} {e.EventTypeName}");
        Assert.Contains(events, e => e.Data is OutcomeAnalysisChanged);

        foreach (var row in Store.Value.GetProperty("mt_doc_review").EnumerateArray())
        {
            var review = await session.LoadAsync<Review>(row.GetProperty("id").GetString()!);
            Same(row.GetProperty("data"), serializer.ToJson(review!), $"review {review!.Id}");
        }
    }

    /// <summary>
    /// Equal JSON, except that a member added to a type since (an optional one, such as a version's
    /// signals) is written with its default where the earlier engine wrote nothing: null, or for an
    /// analysis plan's convention preset, <c>metafor</c>, what every plan before presets followed.
    /// </summary>
    private static void Same(JsonElement written, string now, string what)
    {
        var before = JsonNode.Parse(written.GetRawText());
        var after = JsonNode.Parse(now);
        WithoutAddedNulls(after, before);
        Assert.True(JsonNode.DeepEquals(before, after), $"{what}:\nwritten {written.GetRawText()}\nnow     {now}");
    }

    private static bool AddedDefault(string member, JsonNode? value) =>
        value is null || (member == "conventions" && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == AnalysisPlan.DefaultConventions);

    private static void WithoutAddedNulls(JsonNode? now, JsonNode? written)
    {
        if (now is JsonObject members && written is JsonObject earlier)
        {
            foreach (var name in members.Where(m => !earlier.ContainsKey(m.Key) && AddedDefault(m.Key, m.Value)).Select(m => m.Key).ToList())
                members.Remove(name);
            foreach (var (name, value) in members)
                WithoutAddedNulls(value, earlier[name]);
        }
        else if (now is JsonArray items && written is JsonArray earlierItems)
        {
            for (var i = 0; i < Math.Min(items.Count, earlierItems.Count); i++)
                WithoutAddedNulls(items[i], earlierItems[i]);
        }
    }

    /// <summary>Inserts the rows into the class's schema (once), which the API host has created.</summary>
    private async Task LoadAsync()
    {
        await Loading.WaitAsync();
        try
        {
            if (loaded)
                return;
            await using var connection = new NpgsqlConnection(host.Scope.Postgres);
            await connection.OpenAsync();
            foreach (var table in Tables)
            {
                var name = $"{host.Scope.Schema}.{table}";
                await using var insert = new NpgsqlCommand($"insert into {name} select * from json_populate_recordset(null::{name}, @rows::json)", connection);
                insert.Parameters.AddWithValue("rows", Store.Value.GetProperty(table).GetRawText());
                await insert.ExecuteNonQueryAsync();
            }
            loaded = true;
        }
        finally
        {
            Loading.Release();
        }
    }
}
