using Evidence.Api.Auth;
using Evidence.Api.Http;
using Evidence.Domain.Access;
using Evidence.Domain.Trials;
using Evidence.Domain.Validation;
using Evidence.Domain;
using Marten;

namespace Evidence.Api.Trials;

/// <summary>Recording, correcting, excluding, reinstating and retracting trials; reading them back.</summary>
public static class TrialEndpoints
{
    /// <summary>
    /// The largest body of a batch: 4 MiB, 4 KiB per trial on average for a full batch (a trial with
    /// a few outcomes and attributes takes 200-500 bytes), against 256 KiB for every other command.
    /// </summary>
    public const int MaxBatchBodyBytes = 4 * 1024 * 1024;

    public static void MapTrials(this IEndpointRouteBuilder app)
    {
        var trials = app.MapGroup("/reviews/{review}/trials").WithTags("Trials");
        trials.MapPost("/", RecordTrial).Accepts<RecordTrialRequest>("application/json")
            .Produces<TrialView>(201).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        trials.MapPost("/batch", RecordTrials).Accepts<RecordTrialsRequest>("application/json")
            .Produces<TrialBatchView>(201).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(413);
        trials.MapPost("/{trial}/corrections", CorrectTrial).Accepts<CorrectTrialRequest>("application/json")
            .Produces<TrialView>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(412).ProducesProblem(428);
        trials.MapPost("/{trial}/exclusion", ExcludeTrial).Accepts<StatusChangeRequest>("application/json")
            .Produces<TrialView>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        trials.MapPost("/{trial}/reinstatement", ReinstateTrial).Accepts<StatusChangeRequest>("application/json")
            .Produces<TrialView>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        trials.MapPost("/{trial}/retraction", RetractTrial).Accepts<RetractionRequest>("application/json")
            .Produces<TrialView>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        trials.MapGet("/", GetTrials).Produces<IReadOnlyList<TrialView>>().ProducesProblem(404);
        trials.MapGet("/{trial}", GetTrial).Produces<TrialView>().ProducesProblem(404);
    }

    private static async Task<IResult> RecordTrial(string review, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Editor);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var command = ReadTrial(body);
            body.ThrowIfInvalid();
            var existing = Rules.IsSlug(command.Id) ? await session.LoadAsync<Trial>(StreamKeys.Trial(review, command.Id!), http.RequestAborted) : null;
            var recorded = TrialDecider.Handle(current, existing, command, by);
            var key = StreamKeys.Trial(review, recorded.TrialId);
            session.Events.StartStream<Trial>(key, recorded);
            return ApiJson.Created(TrialView.From(Trial.Evolve(null, recorded)), $"/reviews/{review}/trials/{recorded.TrialId}", 1);
        });
    }

    /// <summary>
    /// Up to <see cref="TrialDecider.MaxBatch"/> trials in one transaction, each its own event on its
    /// own stream, all or none; errors are named by index (<c>trials[3].data.das28.m1i</c>).
    /// </summary>
    private static async Task<IResult> RecordTrials(string review, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Editor);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var command = new RecordTrials([.. body.Items("trials", TrialDecider.MaxBatch).Select(ReadTrial)], body.String("reason"));
            if (body.Value("trials") is null)
                body.Error("trials", "is required.");
            body.ThrowIfInvalid();
            var keys = command.Trials.Where(t => Rules.IsSlug(t.Id)).Select(t => StreamKeys.Trial(review, t.Id!)).Distinct(StringComparer.Ordinal).ToArray();
            var existing = keys.Length == 0 ? [] : await session.LoadManyAsync<Trial>(http.RequestAborted, keys);
            var batch = Guid.CreateVersion7();
            var recorded = TrialDecider.Handle(current, existing.Select(t => t.TrialId).ToHashSet(StringComparer.Ordinal), command, by, batch);
            foreach (var e in recorded)
                session.Events.StartStream<Trial>(StreamKeys.Trial(review, e.TrialId), e);
            return ApiJson.Created(new TrialBatchView(batch, recorded.Count, [.. recorded.Select(e => e.TrialId)]), $"/reviews/{review}/trials");
        }, MaxBatchBodyBytes);
    }

    private static RecordTrial ReadTrial(JsonBody body) =>
        new(body.String("id"), body.Int("year"), body.String("source"), body.String("registryId"),
            WithoutNulls(body, "attributes", body.StringMap("attributes")),
            WithoutNulls(body, "data", body.DataMap("data")).ToDictionary(d => d.Key, d => (IReadOnlyDictionary<string, double>)d.Value, StringComparer.Ordinal));

    private static async Task<IResult> CorrectTrial(string review, string trial, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Editor);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var data = body.DataMap("data").ToDictionary(d => d.Key, d => (IReadOnlyDictionary<string, double>?)d.Value);
            var command = new CorrectTrial(Caller.ExpectedVersion(http), data, body.StringMap("attributes"), body.String("reason"), body.String("source"));
            body.ThrowIfInvalid();
            var stream = await TrialStream(session, review, trial, http.RequestAborted);
            return Append(stream, TrialDecider.Handle(current, stream.Aggregate!, command, by));
        });
    }

    private static Task<IResult> ExcludeTrial(string review, string trial, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        ChangeStatus(review, trial, http, session, clock,
            body => new ExcludeTrial(Caller.ExpectedVersion(http), body.String("reason")), TrialDecider.Handle);

    private static Task<IResult> ReinstateTrial(string review, string trial, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        ChangeStatus(review, trial, http, session, clock,
            body => new ReinstateTrial(Caller.ExpectedVersion(http), body.String("reason")), TrialDecider.Handle);

    private static Task<IResult> RetractTrial(string review, string trial, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        ChangeStatus(review, trial, http, session, clock,
            body => new RetractTrial(Caller.ExpectedVersion(http), body.String("reason"), body.String("notice")), TrialDecider.Handle);

    /// <summary>Exclusion, reinstatement and retraction: read the command, check the role, decide on the trial's stream, append.</summary>
    private static async Task<IResult> ChangeStatus<TCommand, TEvent>(
        string review, string trial, HttpContext http, IDocumentSession session, TimeProvider clock,
        Func<JsonBody, TCommand> read, Func<Trial, TCommand, Provenance, TEvent> decide)
        where TEvent : ITrialEvent
    {
        await Access.RequireAsync(http, session, review, Role.Editor);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var command = read(body);
            body.ThrowIfInvalid();
            var stream = await TrialStream(session, review, trial, http.RequestAborted);
            return Append(stream, decide(stream.Aggregate!, command, by));
        });
    }

    private static async Task<IResult> GetTrials(string review, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        await Access.RequireAsync(http, session, review, Role.Viewer);
        var trials = await session.Query<Trial>().Where(t => t.ReviewId == review).ToListAsync(ct);
        return Results.Json(trials.OrderBy(t => t.Year).ThenBy(t => t.TrialId, StringComparer.Ordinal).Select(TrialView.From), ApiJson.Options);
    }

    private static async Task<IResult> GetTrial(string review, string trial, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        await Access.RequireAsync(http, session, review, Role.Viewer);
        var current = await Load(session, review, trial, ct);
        http.Response.Headers.ETag = Caller.ETag(current.Version);
        return Results.Json(TrialView.From(current), ApiJson.Options);
    }

    internal static async Task<Trial> Load(IQuerySession session, string review, string trial, CancellationToken ct) =>
        (Rules.IsSlug(review) && Rules.IsSlug(trial) ? await session.LoadAsync<Trial>(StreamKeys.Trial(review, trial), ct) : null)
        ?? throw new NotFoundException("Trial", trial);

    private static CommandResult Append(JasperFx.Events.IEventStream<Trial> stream, ITrialEvent e)
    {
        stream.AppendOne(e);
        var next = Trial.Evolve(stream.Aggregate, e);
        return ApiJson.Ok(TrialView.From(next), next.Version);
    }

    private static async Task<JasperFx.Events.IEventStream<Trial>> TrialStream(IDocumentSession session, string review, string trial, CancellationToken ct)
    {
        if (!Rules.IsSlug(review) || !Rules.IsSlug(trial))
            throw new NotFoundException("Trial", trial);
        var stream = await session.Events.FetchForWriting<Trial>(StreamKeys.Trial(review, trial), ct);
        return stream.Aggregate is null ? throw new NotFoundException("Trial", trial) : stream;
    }

    /// <summary>A new trial has nothing to remove, so a null entry is an error rather than a removal.</summary>
    private static Dictionary<string, TValue> WithoutNulls<TValue>(JsonBody body, string name, Dictionary<string, TValue?> map)
        where TValue : class
    {
        foreach (var key in map.Where(m => m.Value is null).Select(m => m.Key))
            body.Error($"{name}.{key}", "must not be null.");
        return map.Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value!, StringComparer.Ordinal);
    }
}
