using Evidence.Domain.Reviews;
using Evidence.Domain.Validation;

namespace Evidence.Domain.Access;

/// <summary>Pure decisions on a review's members and visibility; who may ask is checked by the API.</summary>
public static class MembershipDecider
{
    public const int MaxUserLength = 128;

    public static MemberAdded Handle(Review review, AddMember command, Provenance by)
    {
        var errors = new FieldErrors();
        ValidateUser(errors, "user", command.User);
        Role role = default;
        if (string.IsNullOrEmpty(command.Role))
            errors.Add("role", "is required.");
        else if (Enum.GetNames<Role>().FirstOrDefault(n => string.Equals(n, command.Role, StringComparison.OrdinalIgnoreCase)) is { } name)
            role = Enum.Parse<Role>(name);
        else
            errors.Add("role", "must be owner, editor or viewer.");
        errors.ThrowIfAny();
        if (review.Members.GetValueOrDefault(command.User!) == role)
            throw new ConflictException($"'{command.User}' is already {role.ToString().ToLowerInvariant()} of review '{review.Id}'.");
        if (review.Members.GetValueOrDefault(command.User!) == Role.Owner && role != Role.Owner && OwnerCount(review) == 1)
            throw new ConflictException("A review must keep at least one owner.");
        return new MemberAdded(review.Id, command.User!, role, by);
    }

    public static MemberRemoved Remove(Review review, string user, Provenance by)
    {
        if (!review.Members.TryGetValue(user, out var role))
            throw new NotFoundException("Member", user);
        if (role == Role.Owner && OwnerCount(review) == 1)
            throw new ConflictException("A review must keep at least one owner.");
        return new MemberRemoved(review.Id, user, by);
    }

    public static ReviewVisibilityChanged Handle(Review review, ChangeVisibility command, Provenance by)
    {
        var errors = new FieldErrors();
        if (command.IsPublic is null)
            errors.Add("public", "is required (true or false).");
        Rules.Text(errors, "reason", command.Reason, Rules.MaxLongText, required: true);
        errors.ThrowIfAny();
        if (review.IsPublic == command.IsPublic)
            throw new ConflictException($"Review '{review.Id}' is already {(review.IsPublic ? "public" : "private")}.");
        return new ReviewVisibilityChanged(review.Id, command.IsPublic!.Value, by with { Reason = command.Reason!.Trim() });
    }

    /// <summary>User names are printable and short; they come from API keys, so nothing else is assumed.</summary>
    public static void ValidateUser(FieldErrors errors, string path, string? user)
    {
        if (string.IsNullOrWhiteSpace(user))
            errors.Add(path, "is required.");
        else if (user.Length > MaxUserLength || user != user.Trim() || user.Any(char.IsControl))
            errors.Add(path, $"must be at most {MaxUserLength} printable characters without surrounding spaces.");
    }

    private static int OwnerCount(Review review) => review.Members.Values.Count(r => r == Role.Owner);
}
