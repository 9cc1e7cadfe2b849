using System.Net.Http.Json;
using System.Text.Json;

namespace Evidence.Load;

/// <summary>The few API calls the harness makes.</summary>
public sealed class Api(HttpClient http)
{
    public async Task CreateReviewAsync(string review, CancellationToken ct)
    {
        await Post("reviews", new { id = review, title = "load", question = "load" }, ct);
        await Post($"reviews/{review}/outcomes", new { id = "response", name = "Response", dataType = "binary", measure = "RR", method = "REML" }, ct);
    }

    /// <summary>Records a trial with a small 2x2 table that varies with its number.</summary>
    public Task RecordTrialAsync(string review, int n, CancellationToken ct) => Post($"reviews/{review}/trials", Trial(n), ct);

    /// <summary>Records the trials numbered <paramref name="numbers"/> in one batch.</summary>
    public Task RecordTrialsAsync(string review, IEnumerable<int> numbers, CancellationToken ct) =>
        Post($"reviews/{review}/trials/batch", new { trials = numbers.Select(Trial).ToList() }, ct);

    /// <summary>The year of trial <paramref name="n"/>.</summary>
    public static int Year(int n) => 1990 + n % 35;

    private static object Trial(int n) => new
    {
        id = $"t{n}",
        year = Year(n),
        source = "load harness",
        attributes = new { disease = (n % 3) switch { 0 => "SLE", 1 => "RA", _ => "pSS" } },
        data = new { response = new { ai = 5 + n % 17, bi = 20 + n % 11, ci = 4 + n % 13, di = 22 + n % 7 } },
    };

    /// <summary>The review's last event, how far its snapshots are, and when the oldest event they do not reflect yet was committed.</summary>
    public async Task<(long LastEvent, long SnapshotsUpTo, DateTimeOffset? PendingSince)> StatusAsync(string review, CancellationToken ct)
    {
        var status = await http.GetFromJsonAsync<JsonElement>($"reviews/{review}/snapshots/status", ct);
        return (status.GetProperty("lastEventSequence").GetInt64(), status.GetProperty("snapshotsUpTo").GetInt64(),
            status.TryGetProperty("pendingSince", out var pending) && pending.ValueKind != JsonValueKind.Null ? pending.GetDateTimeOffset() : null);
    }

    /// <summary>Recomputes every snapshot of the review and compares: events read, versions checked, and whether all were identical.</summary>
    public async Task<(int Events, int Versions, bool Identical)> RebuildAsync(string review, CancellationToken ct)
    {
        var report = await http.GetFromJsonAsync<JsonElement>($"reviews/{review}/rebuild", ct);
        return (report.GetProperty("eventsRead").GetInt32(), report.GetProperty("versionsChecked").GetInt32(), report.GetProperty("identical").GetBoolean());
    }

    public async Task<bool> CaughtUpAsync(string review, CancellationToken ct) => (await StatusAsync(review, ct)).PendingSince is null;

    /// <summary>Milliseconds from each version's cause (the command) to its commit, from the snapshot list.</summary>
    public async Task<List<double>> CommitLatenciesAsync(string review, CancellationToken ct)
    {
        var versions = await http.GetFromJsonAsync<JsonElement>($"reviews/{review}/outcomes/response/snapshots", ct);
        return versions.EnumerateArray()
            .Select(v => (v.GetProperty("takenAt").GetDateTimeOffset() - v.GetProperty("cause").GetProperty("at").GetDateTimeOffset()).TotalMilliseconds)
            .ToList();
    }

    private async Task Post(string path, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(path, body, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }
}
