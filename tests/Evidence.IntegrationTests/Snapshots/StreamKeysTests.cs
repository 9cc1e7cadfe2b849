using Evidence.Domain;
using Npgsql;

namespace Evidence.IntegrationTests.Snapshots;

/// <summary>A stream key is read back the same way in C# and in the SQL the reconciler runs.</summary>
public class StreamKeysTests
{
    [Fact]
    public async Task ReviewOfSql_Should_AgreeWithReviewOf()
    {
        string[] keys =
        [
            StreamKeys.Review("ld-il2"), StreamKeys.Trial("ld-il2", "he2020"), StreamKeys.Snapshots("ld-il2", "response"),
            StreamKeys.Review("r-0a1b2c"), StreamKeys.Trial("r-0a1b2c", "t-1"),
        ];
        var services = await EvidenceServices.GetAsync();
        await using var data = NpgsqlDataSource.Create(services.Postgres);
        await using var command = data.CreateCommand($"select k, {StreamKeys.ReviewOfSql("k")} from unnest(@keys) as k");
        command.Parameters.AddWithValue("keys", keys);
        var fromSql = new Dictionary<string, string?>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                fromSql[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        Assert.Equal(keys.Select(StreamKeys.ReviewOf), keys.Select(k => fromSql[k]));
        Assert.Equal(["ld-il2", "ld-il2", null, "r-0a1b2c", "r-0a1b2c"], keys.Select(StreamKeys.ReviewOf));
    }
}
