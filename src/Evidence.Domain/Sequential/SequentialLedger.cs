namespace Evidence.Domain.Sequential;

/// <summary>
/// One look of an outcome's ledger: the version that made it, its included trials, their
/// participants and the DerSimonian-Laird fit of their data (analysis scale), as of that version.
/// </summary>
public sealed record LedgerLook(long Version, int K, double Participants, double Estimate, double Se, double Tau2);

/// <summary>
/// The looks an outcome has had, kept with its newest version whether or not it has sequential
/// parameters, so the worker need not read its history again: every version whose included
/// trials' data differ from the last look's (<see cref="DataDigest"/>, <see cref="TrialDataDigest"/>), on the scale of
/// <see cref="Measure"/>. <see cref="RestartedAt"/> is the version where a change of measure
/// restarted the looks (null when they run from the outcome's first version).
/// </summary>
public sealed record SequentialLedger(string Measure, string DataDigest, IReadOnlyList<LedgerLook> Looks, long? RestartedAt = null);

/// <summary>
/// An outcome's ledger as stored (id <c>{review}/{outcome}</c>, like its head), as of version
/// <see cref="Version"/>: its measure, data digest and restart, without its looks, which are stored
/// one document each (<see cref="OutcomeLook"/>) when they are taken. Written by the worker in the
/// transaction that moves the head, so a version costs one small document more, not a copy of
/// every look before it; read back with the heads and the looks. A ledger whose version is not the
/// head's (or none, for an outcome last versioned before ledgers were kept) is counted again from the log.
/// </summary>
public sealed record OutcomeLedger(string Id, string ReviewId, string OutcomeId, long Version, SequentialLedger Ledger)
{
    /// <summary>The ledger of <paramref name="head"/> without its looks.</summary>
    public static OutcomeLedger Of(Snapshots.SnapshotHead head, SequentialLedger ledger) =>
        new(head.Id, head.ReviewId, head.OutcomeId, head.Version, ledger with { Looks = [] });

    /// <summary>
    /// The stored ledger with its looks: those of <paramref name="looks"/> (the outcome's, any order)
    /// from its restart (or its first version) up to its version.
    /// </summary>
    public SequentialLedger With(IEnumerable<OutcomeLook> looks) =>
        Ledger with
        {
            Looks = looks.Where(l => l.Look.Version >= (Ledger.RestartedAt ?? 0) && l.Look.Version <= Version)
                .OrderBy(l => l.Look.Version).Select(l => l.Look).ToList(),
        };
}

/// <summary>One look of an outcome's ledger as stored (id <c>{review}/{outcome}/{version}</c>), written with the version that took it.</summary>
public sealed record OutcomeLook(string Id, string ReviewId, string OutcomeId, LedgerLook Look)
{
    public static OutcomeLook Of(string review, string outcome, LedgerLook look) =>
        new($"{review}/{outcome}/{look.Version}", review, outcome, look);
}

/// <summary>
/// What the signal rules read of a version's sequential section: whether its last look crosses a
/// boundary (with its Z, boundary and information fraction) and whether the RIS is reached (with the
/// version's participants and the adjusted RIS).
/// </summary>
public sealed record SequentialBasis(bool Crossed, double? Z, double? Boundary, double? T, bool RisReached, double Participants, double RisAdjusted)
{
    /// <summary>The basis of <paramref name="section"/>.</summary>
    public static SequentialBasis Of(SequentialSection section)
    {
        var last = section.Looks.Count == 0 ? null : section.Looks[^1];
        return new(last?.Crossed ?? false, last?.Z, last?.Boundary, last?.T, section.RisReached, section.Participants, section.RisAdjusted);
    }
}
