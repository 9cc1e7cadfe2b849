using Evidence.Api.Http;
using Evidence.Domain.Access;
using Evidence.Domain.Reviews;
using Marten;

namespace Evidence.Api.Auth;

/// <summary>A review's members and its visibility, managed by its owners.</summary>
public static class MemberEndpoints
{
    public sealed record MemberView(string User, Role Role);

    public sealed record AddMemberRequest(string User, string Role);

    public sealed record VisibilityRequest(bool Public, string Reason);

    public static void MapMembers(this IEndpointRouteBuilder app)
    {
        var members = app.MapGroup("/reviews/{review}").WithTags("Members");
        members.MapGet("/members", List).Produces<IReadOnlyList<MemberView>>().ProducesProblem(404);
        members.MapPost("/members", Add).Accepts<AddMemberRequest>("application/json").Produces<MemberView>(201)
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        members.MapDelete("/members/{user}", Remove).Produces(204).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        members.MapPost("/visibility", ChangeVisibility).Accepts<VisibilityRequest>("application/json").Produces(200)
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> List(string review, HttpContext http, IQuerySession session)
    {
        var current = await Access.RequireAsync(http, session, review, Role.Viewer);
        return Results.Json(current.Members.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new MemberView(m.Key, m.Value)), ApiJson.Options);
    }

    private static async Task<IResult> Add(string review, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        await Access.RequireAsync(http, session, review, Role.Owner);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var command = new AddMember(body.String("user"), body.String("role"));
            body.ThrowIfInvalid();
            var stream = await session.Events.FetchForWriting<Review>(review, http.RequestAborted);
            var added = MembershipDecider.Handle(stream.Aggregate!, command, by);
            stream.AppendOne(added);
            return ApiJson.Created(new MemberView(added.User, added.Role), $"/reviews/{review}/members");
        });
    }

    private static async Task<IResult> Remove(string review, string user, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        await Access.RequireAsync(http, session, review, Role.Owner);
        var stream = await session.Events.FetchForWriting<Review>(review, http.RequestAborted);
        stream.AppendOne(MembershipDecider.Remove(stream.Aggregate!, user, Caller.Provenance(http, clock)));
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> ChangeVisibility(string review, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        await Access.RequireAsync(http, session, review, Role.Owner);
        return await Idempotency.RunAsync(http, session, clock, async (body, by) =>
        {
            var command = new ChangeVisibility(body.Bool("public"), body.String("reason"));
            body.ThrowIfInvalid();
            var stream = await session.Events.FetchForWriting<Review>(review, http.RequestAborted);
            var changed = MembershipDecider.Handle(stream.Aggregate!, command, by);
            stream.AppendOne(changed);
            return ApiJson.Ok(new { review, @public = changed.IsPublic });
        });
    }
}
