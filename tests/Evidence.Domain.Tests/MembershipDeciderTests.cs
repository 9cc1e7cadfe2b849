using Evidence.Domain.Access;

namespace Evidence.Domain.Tests;

public class MembershipDeciderTests
{
    [Fact]
    public void Creator_Should_BeTheFirstOwner()
    {
        Assert.Equal(Role.Owner, Given.Review().RoleOf("alice"));
    }

    [Fact]
    public void AddMember_Should_GiveTheRole_AndRejectAnUnknownRole()
    {
        var review = Given.Review();

        var added = MembershipDecider.Handle(review, new AddMember("bob", "Editor"), Given.By);
        var bad = Assert.Throws<ValidationFailedException>(() => MembershipDecider.Handle(review, new AddMember("bob", "god"), Given.By));
        var numeric = Assert.Throws<ValidationFailedException>(() => MembershipDecider.Handle(review, new AddMember("bob", "3"), Given.By));
        Assert.Throws<ValidationFailedException>(() => MembershipDecider.Handle(review, new AddMember("bob", "viewer,editor"), Given.By));

        Assert.Equal(Role.Editor, review.Apply(added).RoleOf("bob"));
        Assert.Equal(["role"], bad.Errors.Keys);
        Assert.Equal(["role"], numeric.Errors.Keys);
    }

    [Fact]
    public void LastOwner_Should_NotBeRemovedOrDemoted()
    {
        var review = Given.Review();

        Assert.Throws<ConflictException>(() => MembershipDecider.Remove(review, "alice", Given.By));
        Assert.Throws<ConflictException>(() => MembershipDecider.Handle(review, new AddMember("alice", "viewer"), Given.By));
        Assert.Throws<NotFoundException>(() => MembershipDecider.Remove(review, "nobody", Given.By));
    }

    [Fact]
    public void Visibility_Should_NeedAReason_AndChange()
    {
        var review = Given.Review();

        var changed = MembershipDecider.Handle(review, new ChangeVisibility(true, "published"), Given.By);

        Assert.True(review.Apply(changed).IsPublic);
        Assert.Throws<ValidationFailedException>(() => MembershipDecider.Handle(review, new ChangeVisibility(true, null), Given.By));
        Assert.Throws<ConflictException>(() => MembershipDecider.Handle(review, new ChangeVisibility(false, "r"), Given.By));
    }

    [Fact]
    public void ApiKey_Should_MatchOnlyItsOwnKey()
    {
        var key = ApiKey.NewKey();
        var stored = new ApiKey(ApiKey.IdOf(key), ApiKey.HashOf(key), "alice", false, Given.By.At, "admin");

        Assert.True(stored.Matches(key));
        Assert.False(stored.Matches(key + "x"));
        Assert.DoesNotContain(key, stored.ToString(), StringComparison.Ordinal);
        Assert.StartsWith(ApiKey.Prefix, key, StringComparison.Ordinal);
    }
}
