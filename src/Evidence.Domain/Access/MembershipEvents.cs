namespace Evidence.Domain.Access;

/// <summary>A user was given a role in a review (or their role was changed).</summary>
public sealed record MemberAdded(string ReviewId, string User, Role Role, Provenance Provenance) : IReviewEvent;

/// <summary>A user lost their role in a review.</summary>
public sealed record MemberRemoved(string ReviewId, string User, Provenance Provenance) : IReviewEvent;

/// <summary>A review was made public (readable by everyone) or private again.</summary>
public sealed record ReviewVisibilityChanged(string ReviewId, bool IsPublic, Provenance Provenance) : IReviewEvent;

public sealed record AddMember(string? User, string? Role);

public sealed record ChangeVisibility(bool? IsPublic, string? Reason);
