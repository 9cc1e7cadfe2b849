using Evidence.Domain.Sequential;
using Evidence.Domain.Snapshots;

namespace Evidence.Worker.Snapshots;

/// <summary>
/// Gives an outcome whose head came without its ledger of looks (<see cref="SnapshotHead.Ledger"/>
/// null: its newest version was stored before ledgers were kept, or the stored ledger is of
/// another version) its ledger: the review's events already accounted
/// for are applied with the snapshot rules' tracking, as a rebuild does, so every version they made
/// is counted and each look is taken where it was. Nothing is written for those events.
/// </summary>
internal sealed class LedgerReplay
{
    private readonly HashSet<string> outcomes;
    private readonly Dictionary<string, long> versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SequentialLedger> ledgers = new(StringComparer.Ordinal);

    private LedgerReplay(HashSet<string> outcomes) => this.outcomes = outcomes;

    /// <summary>A replay for the heads without a ledger; null when every head has one.</summary>
    public static LedgerReplay? For(IReadOnlyDictionary<string, SnapshotHead> heads)
    {
        var missing = heads.Values.Where(h => h.Ledger is null).Select(h => h.OutcomeId).ToHashSet(StringComparer.Ordinal);
        return missing.Count == 0 ? null : new LedgerReplay(missing);
    }

    /// <summary>Applies an event already accounted for, counting the versions it made.</summary>
    public void Apply(ReviewLog log, LoggedEvent e)
    {
        foreach (var changed in SnapshotRules.Apply(log, e, versions.ContainsKey))
        {
            var outcome = changed.Inputs.OutcomeId;
            var version = versions[outcome] = versions.GetValueOrDefault(outcome) + 1;
            if (outcomes.Contains(outcome))
                ledgers[outcome] = SequentialRules.Next(ledgers.GetValueOrDefault(outcome), changed.Inputs, version);
        }
    }

    /// <summary>
    /// Gives each head its replayed ledger, where the replay reached the head's version (otherwise its
    /// looks start afresh), and returns the heads it gave one.
    /// </summary>
    public List<SnapshotHead> Complete(Dictionary<string, SnapshotHead> heads)
    {
        var replayed = new List<SnapshotHead>();
        foreach (var outcome in outcomes)
        {
            if (heads.TryGetValue(outcome, out var head) && head.Ledger is null && versions.GetValueOrDefault(outcome) == head.Version
                && ledgers.TryGetValue(outcome, out var ledger))
                replayed.Add(heads[outcome] = head with { Ledger = ledger });
        }
        return replayed;
    }
}
