using System.Globalization;
using System.Text.Json;
using Evidence.Api.Auth;
using Evidence.Api.Http;
using Evidence.Domain.Access;
using Evidence.Domain.Reviews;
using Evidence.Domain.Sequential;
using Marten;

namespace Evidence.Api.Reviews;

/// <summary>
/// Setting an outcome's trial sequential analysis parameters: an event on the review's stream
/// (editor, <c>If-Match</c> with the review's version, a reason) that yields a new version of the
/// outcome whose estimate is unchanged and which, like every later version, carries its sequential
/// section. A body with a reason and no parameter clears them.
/// </summary>
public static class SequentialEndpoints
{
    public static void MapSequential(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/reviews/{review}/outcomes/{outcome}").WithTags("Reviews")
            .MapPost("/sequential", Set).Accepts<SetSequentialRequest>("application/json")
            .Produces<OutcomeView>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(412).ProducesProblem(428);
    }

    private static async Task<IResult> Set(string review, string outcome, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        await Access.RequireAsync(http, session, review, Role.Editor);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var command = new SetSequential(outcome, Caller.ExpectedVersion(http), body.Number("alpha"), body.Number("beta"),
                WordOrNumber(body, "controlRisk", $"must be a proportion between 0 and 1 (exclusive), or \"{SequentialDecider.Pooled}\"."),
                body.Number("relativeRiskReduction"), body.Number("meanDifference"), body.Number("standardDeviation"),
                WordOrNumber(body, "heterogeneity", "must be D2, I2, none, or a fraction in [0, 1)."),
                body.String("spending"), body.String("reason"));
            body.ThrowIfInvalid();
            var stream = await ReviewEndpoints.ReviewStream(session, review, http.RequestAborted);
            var e = SequentialDecider.Handle(stream.Aggregate!, command, by);
            stream.AppendOne(e);
            var next = Review.Evolve(stream.Aggregate, e);
            return ApiJson.Ok(OutcomeView.From(next.Outcomes[outcome]), next.Version);
        });
    }

    /// <summary>A field that is a word or a number: the word as sent, the number in invariant round-trip form.</summary>
    private static string? WordOrNumber(JsonBody body, string name, string message)
    {
        switch (body.Value(name))
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.String } v:
                return v.GetString();
            case { ValueKind: JsonValueKind.Number } v when v.TryGetDouble(out var x) && double.IsFinite(x):
                return x.ToString("R", CultureInfo.InvariantCulture);
            default:
                body.Error(name, message);
                return null;
        }
    }
}

/// <summary>
/// An outcome's trial sequential analysis parameters (all but the reason left out: clear them).
/// <c>controlRisk</c>: a proportion or <c>"pooled"</c>; <c>heterogeneity</c>: <c>"D2"</c>, <c>"I2"</c>,
/// <c>"none"</c> or a fraction in [0, 1); <c>spending</c>: <c>"OBF"</c> or <c>"Pocock"</c>.
/// </summary>
public sealed record SetSequentialRequest(
    double? Alpha, double? Beta, JsonElement? ControlRisk, double? RelativeRiskReduction, double? MeanDifference, double? StandardDeviation,
    JsonElement? Heterogeneity, string? Spending, string Reason);
