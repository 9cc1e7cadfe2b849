namespace Evidence.Domain.Access;

/// <summary>What a member may do in a review; each role includes the ones below it.</summary>
public enum Role
{
    /// <summary>Reads the review, its snapshots, plots and audit trail.</summary>
    Viewer = 1,
    /// <summary>Also records, corrects, excludes, reinstates and retracts trials, and defines and changes outcomes.</summary>
    Editor = 2,
    /// <summary>Also manages members and the review's visibility.</summary>
    Owner = 3,
}
