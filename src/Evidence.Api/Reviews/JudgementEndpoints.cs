using System.Globalization;
using System.Text.Json;
using Evidence.Api.Auth;
using Evidence.Api.Http;
using Evidence.Domain.Access;
using Evidence.Domain.Judgement;
using Evidence.Domain.Reviews;
using Evidence.Domain;
using Marten;

namespace Evidence.Api.Reviews;

/// <summary>
/// Setting what an outcome's versions are judged against: its decision thresholds and its signal
/// rules. Each is an event on the review's stream (editor, <c>If-Match</c> with the review's version,
/// a reason) and yields a new version of the outcome whose estimate is unchanged and whose signals
/// and absolute effects follow the new settings.
/// </summary>
public static class JudgementEndpoints
{
    public static void MapJudgement(this IEndpointRouteBuilder app)
    {
        var outcome = app.MapGroup("/reviews/{review}/outcomes/{outcome}").WithTags("Reviews");
        outcome.MapPost("/thresholds", SetThresholds).Accepts<SetThresholdsRequest>("application/json")
            .Produces<OutcomeView>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(412).ProducesProblem(428);
        outcome.MapPost("/signal-rules", SetRules).Accepts<SetSignalRulesRequest>("application/json")
            .Produces<OutcomeView>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(412).ProducesProblem(428);
    }

    private static async Task<IResult> SetThresholds(string review, string outcome, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        await Access.RequireAsync(http, session, review, Role.Editor);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var command = new SetThresholds(outcome, Caller.ExpectedVersion(http), body.Number("null"), body.Number("lower"), body.Number("upper"),
                ControlRisk(body), body.Bool("higherIsBetter"), body.String("reason"));
            body.ThrowIfInvalid();
            var stream = await ReviewEndpoints.ReviewStream(session, review, http.RequestAborted);
            return Append(stream, JudgementDecider.Handle(stream.Aggregate!, command, by), outcome);
        });
    }

    private static async Task<IResult> SetRules(string review, string outcome, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        await Access.RequireAsync(http, session, review, Role.Editor);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var command = new SetSignalRules(outcome, Caller.ExpectedVersion(http), RuleChanges(body), Bands(body), body.String("reason"));
            body.ThrowIfInvalid();
            var stream = await ReviewEndpoints.ReviewStream(session, review, http.RequestAborted);
            return Append(stream, JudgementDecider.Handle(stream.Aggregate!, command, by), outcome);
        });
    }

    private static CommandResult Append(JasperFx.Events.IEventStream<Review> stream, IOutcomeEvent e, string outcome)
    {
        stream.AppendOne(e);
        var next = Review.Evolve(stream.Aggregate, e);
        return ApiJson.Ok(OutcomeView.From(next.Outcomes[outcome]), next.Version);
    }

    /// <summary><c>controlRisk</c>: a number, or the word <c>pooled</c>.</summary>
    private static string? ControlRisk(JsonBody body)
    {
        var value = body.Value("controlRisk");
        return value switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } v when v.GetString() == JudgementDecider.Pooled => JudgementDecider.Pooled,
            { ValueKind: JsonValueKind.Number } v when v.TryGetDouble(out var p) => p.ToString("R", CultureInfo.InvariantCulture),
            _ => Invalid(body, "controlRisk", $"must be a proportion between 0 and 1 (exclusive), or \"{JudgementDecider.Pooled}\"."),
        };
    }

    /// <summary><c>rules</c>: rule name -> <c>{ "enabled": bool, "value": number }</c>, either optional.</summary>
    private static Dictionary<string, RuleChange> RuleChanges(JsonBody body)
    {
        var changes = new Dictionary<string, RuleChange>(StringComparer.Ordinal);
        foreach (var (name, value) in body.Members("rules"))
        {
            var path = $"rules.{name}";
            if (value.ValueKind != JsonValueKind.Object)
            {
                body.Error(path, "must be an object with \"enabled\" and/or \"value\".");
                continue;
            }
            bool? enabled = null;
            double? parameter = null;
            foreach (var field in value.EnumerateObject())
            {
                if (field.Name == "enabled" && field.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    enabled = field.Value.GetBoolean();
                else if (field.Name == "enabled")
                    body.Error($"{path}.enabled", "must be true or false.");
                else if (field.Name == "value")
                    parameter = body.Number(field.Value, $"{path}.value");
                else
                    body.Error($"{path}.{field.Name}", "is not a field of a rule; use \"enabled\" and \"value\".");
            }
            changes[name] = new RuleChange(enabled, parameter);
        }
        return changes;
    }

    /// <summary><c>bands</c>: an array of <c>{ "from", "to", "label" }</c> (I² in percent).</summary>
    private static List<I2Band>? Bands(JsonBody body)
    {
        if (body.Value("bands") is not { } bands)
            return null;
        if (bands.ValueKind != JsonValueKind.Array)
        {
            body.Error("bands", "must be an array of { from, to, label }.");
            return null;
        }
        var result = new List<I2Band>();
        var i = 0;
        foreach (var band in bands.EnumerateArray())
        {
            var path = $"bands[{i++}]";
            if (band.ValueKind != JsonValueKind.Object)
            {
                body.Error(path, "must be an object { from, to, label }.");
                continue;
            }
            var from = body.Number(band.TryGetProperty("from", out var f) ? f : null, $"{path}.from");
            var to = body.Number(band.TryGetProperty("to", out var t) ? t : null, $"{path}.to");
            var label = band.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            if (from is null)
                body.Error($"{path}.from", "is required.");
            if (to is null)
                body.Error($"{path}.to", "is required.");
            if (label is null)
                body.Error($"{path}.label", "is required (a string).");
            result.Add(new I2Band(from ?? 0, to ?? 0, label ?? ""));
        }
        return result;
    }

    private static string? Invalid(JsonBody body, string path, string message)
    {
        body.Error(path, message);
        return null;
    }
}

/// <summary>An outcome's thresholds, natural scale; a line left out is not set. <c>controlRisk</c>: a proportion or <c>"pooled"</c>.</summary>
public sealed record SetThresholdsRequest(double? Null, double? Lower, double? Upper, JsonElement? ControlRisk, bool? HigherIsBetter, string Reason);

/// <summary>Rules to change, by name, and optionally the I² bands.</summary>
public sealed record SetSignalRulesRequest(IReadOnlyDictionary<string, RuleChangeRequest>? Rules, IReadOnlyList<I2Band>? Bands, string Reason);

/// <summary>A rule switched on or off, and its parameter.</summary>
public sealed record RuleChangeRequest(bool? Enabled, double? Value);
