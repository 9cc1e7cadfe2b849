using System.Net.Http.Json;
using System.Text.Json;

namespace Evidence.Cli.Reporting;

/// <summary>Reads from a running Evidence API.</summary>
public sealed class ApiClient(HttpClient http)
{
    public async Task<JsonElement> GetAsync(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    public async Task<byte[]> BytesAsync(string path, CancellationToken ct) => await http.GetByteArrayAsync(path, ct);

    /// <summary>Waits until the worker has written the snapshots of every event of the review.</summary>
    public async Task WaitUntilCaughtUpAsync(string review, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await GetAsync($"reviews/{review}/snapshots/status", ct);
            if (status.GetProperty("caughtUp").GetBoolean())
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the snapshots of {review} are at sequence {status.GetProperty("snapshotsUpTo")} of {status.GetProperty("lastEventSequence")} after {timeout.TotalSeconds} s; is the worker running?");
            await Task.Delay(200, ct);
        }
    }
}
