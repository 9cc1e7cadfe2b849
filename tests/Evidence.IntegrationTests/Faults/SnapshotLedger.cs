using System.Text.Json;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Snapshots;

namespace Evidence.IntegrationTests.Faults;

/// <summary>How every fault test ends: nothing lost, nothing duplicated.</summary>
public static class SnapshotLedger
{
    /// <summary>
    /// Waits until the worker has caught up with the review, then checks that the outcome's versions
    /// run 1..<paramref name="versions"/>, each caused by its own event, and that a rebuild from the
    /// events yields exactly the stored snapshots (a missing or an extra version is a difference).
    /// Returns the outcome's versions.
    /// </summary>
    public static async Task<JsonElement> AssertNothingLostNothingDuplicatedAsync<T>(this SnapshotPipeline<T> pipeline, string review, string outcome, int versions)
    {
        await pipeline.WaitForVersionsAsync(review, outcome, versions, TimeSpan.FromSeconds(120));
        await WaitForCatchUpAsync(pipeline, review);
        var list = await (await pipeline.Client.GetAsync($"/reviews/{review}/outcomes/{outcome}/snapshots")).Json();
        var causes = list.EnumerateArray().Select(v => v.GetProperty("cause").GetProperty("sequence").GetInt64()).ToList();

        Assert.Equal(Enumerable.Range(1, versions).Select(v => (long)v), list.EnumerateArray().Select(v => v.GetProperty("version").GetInt64()));
        Assert.Equal(causes.Distinct().Order(), causes);
        var rebuild = await (await pipeline.Client.GetAsync($"/reviews/{review}/rebuild")).Json();
        Assert.True(rebuild.GetProperty("identical").GetBoolean(), rebuild.ToString());
        return list;
    }

    /// <summary>Versions run 1, 2, 3... and each is caused by its own event, in the order of the log.</summary>
    public static void AssertNoGaps(JsonElement versions)
    {
        var numbers = versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt64()).ToList();
        var causes = versions.EnumerateArray().Select(v => v.GetProperty("cause").GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count).Select(i => (long)i), numbers);
        Assert.Equal(causes.Order(), causes);
        Assert.Equal(causes.Count, causes.Distinct().Count());
    }

    public static async Task WaitForCatchUpAsync<T>(this SnapshotPipeline<T> pipeline, string review)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement status;
        do
        {
            status = await (await pipeline.Client.GetAsync($"/reviews/{review}/snapshots/status")).Json();
            if (status.GetProperty("caughtUp").GetBoolean())
                return;
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"The snapshots did not catch up: {status}\nWorker log:\n{pipeline.Worker.Output}");
    }
}
