using System.Text.Json;
using System.Text.Json.Serialization;
using Evidence.Domain.Judgement;
using Evidence.Domain.Snapshots;

namespace Evidence.Domain.Webhooks;

/// <summary>
/// The body of a delivery: <c>{ "type": "estimate.signals", "timestamp", "data": { reviewId,
/// outcomeId, version, cause, summary, signals, links } }</c>, camelCase, in the API's JSON.
/// </summary>
public static class WebhookPayload
{
    public const string Type = "estimate.signals";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public sealed record Body(string Type, DateTimeOffset Timestamp, Data Data);

    public sealed record Data(
        string ReviewId, string OutcomeId, long Version, Cause Cause, SnapshotSummary Summary, IReadOnlyList<Signal> Signals, Links Links);

    public sealed record Cause(string Type, string? TrialId, string By, DateTimeOffset At, string? Reason, long Sequence);

    /// <summary><see cref="Snapshot"/> is the path of the version in the API.</summary>
    public sealed record Links(string Snapshot);

    public static string For(SnapshotTaken version, DateTimeOffset at)
    {
        var cause = version.Cause;
        var data = new Data(version.ReviewId, version.OutcomeId, version.Version,
            new Cause(cause.Type, cause.TrialId, cause.By, cause.At, cause.Reason, cause.Sequence),
            version.Summary, version.Signals ?? [],
            new Links($"/reviews/{version.ReviewId}/outcomes/{version.OutcomeId}/snapshots/{version.Version}"));
        return JsonSerializer.Serialize(new Body(Type, at, data), Json);
    }
}
