using System.Text.Json.Serialization;

namespace Evidence.Domain.Snapshots;

/// <summary>
/// The three numbers of a pooled fit that an attribution follows, on the analysis scale (log ratio,
/// difference): the estimate, the width of its confidence interval (upper - lower) and tau². Null
/// where the fit gives none (no estimate; tau² of a method without one). The same record holds the
/// differences between two fits.
/// </summary>
public sealed record FitValues(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Estimate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? CiWidth,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Tau2)
{
    /// <summary>The values of a version's headline.</summary>
    public static FitValues Of(SnapshotSummary summary) =>
        new(summary.Estimate, summary.CiUpper - summary.CiLower, summary.Tau2);
}

/// <summary>
/// An event between two versions that changed the outcome's inputs: its cause (sequence, event id,
/// type, trial, who, when, why), the version it yielded, its contribution (the value after it minus
/// the value before it) and the values after it. <see cref="Estimable"/> is false where the version
/// it yielded has no estimate (no trial left, or data that give none); its contribution is then null
/// (see <see cref="ChangeAttribution"/>).
/// </summary>
public sealed record AttributedEvent(SnapshotCause Cause, long Version, bool Estimable, FitValues Contribution, FitValues After);

/// <summary>
/// Why an outcome's pooled estimate moved between versions <see cref="From"/> and <see cref="To"/>:
/// the review's events between their causes replayed one at a time with the worker's fold
/// (<see cref="ReviewLog"/>, <see cref="SnapshotRules.Apply"/>), each event that changed the outcome's
/// inputs listed in commit order with its contribution to the change of the estimate, of the CI width
/// and of tau². Events that leave the inputs as they were contribute exactly 0 and are only counted
/// (<see cref="EventsWithoutChange"/> of <see cref="EventsBetween"/>). A batch of trials is one entry,
/// its cause the batch, at its last event; its other events count among those without change.
/// <para>
/// A contribution is the value after the event minus the last value before it, so the contributions
/// add up to <see cref="Total"/> = <see cref="End"/> - <see cref="Start"/> (a telescoping sum; equal up
/// to rounding). Where an event yields a version without a value (no estimate), its contribution is
/// null, and the next event with a value takes the difference from the last value there was, so the
/// sum of the contributions that are numbers still equals the total. A quantity is attributed only
/// when both endpoints have it: when <see cref="From"/> or <see cref="To"/> has no estimate, every
/// contribution and the total are null, and <see cref="Note"/> says why (likewise tau² alone for a
/// method without tau²).
/// </para>
/// <see cref="MatchesStored"/> says whether the replay reproduces the stored versions: the replayed
/// endpoints' inputs and headlines equal the stored ones, and the last event that changed the inputs is
/// the cause of <see cref="To"/>, yielding that version number (false when the engine or the log
/// changed since they were written).
/// </summary>
public sealed record ChangeAttribution(
    long From, long To, FitValues Start, FitValues End, FitValues Total,
    IReadOnlyList<AttributedEvent> Events, int EventsBetween, int EventsWithoutChange, bool MatchesStored, string? Note)
{
    /// <summary>The most versions between <c>from</c> and <c>to</c> that an attribution replays: each costs an analysis.</summary>
    public const int MaxVersions = 1000;

    /// <summary>Why no attribution is computed between two versions (null when it is): more than <see cref="MaxVersions"/> versions lie between.</summary>
    public static string? Refusal(long from, long to) => to - from <= MaxVersions ? null
        : $"v{from} to v{to} spans {to - from:N0} versions; an attribution replays at most {MaxVersions:N0} (one analysis each), so ask for a shorter span.";

    /// <summary>The attribution of the move from <paramref name="from"/> to <paramref name="to"/> over the review's events in commit order (at least up to the cause of <paramref name="to"/>).</summary>
    public static ChangeAttribution Replay(Snapshot from, Snapshot to, IEnumerable<LoggedEvent> events, IOutcomeAnalyzer analyzer)
    {
        var replay = new ChangeReplay(from, to, analyzer);
        foreach (var e in events.TakeWhile(_ => !replay.Done))
            replay.Apply(e);
        return replay.Result();
    }
}

/// <summary>
/// The replay behind a <see cref="ChangeAttribution"/>, fed one event at a time (so a caller can read
/// the log a page at a time): the events up to the cause of <c>from</c> are folded without analysis,
/// then each later event up to the cause of <c>to</c> is applied and, when it changes the outcome's
/// inputs, the outcome is analysed (pooled fit and per-study effects, without sensitivity analyses).
/// </summary>
public sealed class ChangeReplay(Snapshot from, Snapshot to, IOutcomeAnalyzer analyzer)
{
    private readonly ReviewLog log = new();
    private readonly List<(SnapshotCause Cause, long Version, SnapshotSummary Summary)> steps = [];
    private SnapshotSummary? start;
    private bool startMatches;
    private int between;

    /// <summary>Whether every event up to the cause of <c>to</c> has been applied; later ones are ignored.</summary>
    public bool Done => log.Sequence >= to.Cause.Sequence;

    /// <summary>Applies the next event of the review's log (commit order).</summary>
    public void Apply(LoggedEvent e)
    {
        if (e.Sequence <= from.Cause.Sequence)
        {
            SnapshotRules.Apply(log, e, _ => true, track: false);
            return;
        }
        if (e.Sequence > to.Cause.Sequence)
            return;
        Begin();
        between++;
        // Every outcome of the review has versions by now or gets its first with this event, as the
        // worker decides; only this outcome's change matters here.
        var changed = SnapshotRules.Apply(log, e, _ => true).FirstOrDefault(c => c.Inputs.OutcomeId == from.OutcomeId);
        if (changed is not null)
            steps.Add((changed.Cause, from.Version + steps.Count + 1, Analyze(changed.Inputs)));
    }

    /// <summary>The attribution of the events applied so far.</summary>
    public ChangeAttribution Result()
    {
        Begin();
        var startValues = FitValues.Of(start!);
        var end = steps.Count > 0 ? steps[^1].Summary : start!;
        var endValues = FitValues.Of(end);
        var matches = startMatches && end == to.Summary && log.Hash(to.OutcomeId) == to.InputHash
            && steps.Count > 0 && steps[^1].Cause.EventId == to.Cause.EventId && steps[^1].Version == to.Version;

        var note = startValues.Estimate is null || endValues.Estimate is null
            ? $"v{(startValues.Estimate is null ? from.Version : to.Version)} has no estimate, so the change is not attributed."
            : startValues.Tau2 is null || endValues.Tau2 is null ? "The method gives no tau², so tau² is not attributed." : null;
        var estimate = new Telescope(startValues.Estimate, endValues.Estimate);
        var width = new Telescope(startValues.CiWidth, endValues.CiWidth);
        var tau2 = new Telescope(startValues.Tau2, endValues.Tau2);
        if (startValues.Estimate is null || endValues.Estimate is null)
            (estimate, width, tau2) = (Telescope.None, Telescope.None, Telescope.None);

        var events = steps.Select(s =>
        {
            var after = FitValues.Of(s.Summary);
            return new AttributedEvent(s.Cause, s.Version, after.Estimate is not null,
                new FitValues(estimate.Step(after.Estimate), width.Step(after.CiWidth), tau2.Step(after.Tau2)), after);
        }).ToList();
        return new ChangeAttribution(from.Version, to.Version, startValues, endValues,
            new FitValues(estimate.Total, width.Total, tau2.Total), events, between, between - steps.Count, matches, note);
    }

    /// <summary>Analyses the inputs at the cause of <c>from</c>, once, before the first event after it.</summary>
    private void Begin()
    {
        if (start is not null)
            return;
        if (log.Review?.Outcomes.ContainsKey(from.OutcomeId) != true)
            throw new SnapshotInputsChangedException(from.Id);
        start = Analyze(log.Inputs(from.OutcomeId));
        startMatches = start == from.Summary && log.Hash(from.OutcomeId) == from.InputHash;
    }

    private SnapshotSummary Analyze(OutcomeInputs inputs) => analyzer.Analyze(inputs, AnalysisDepth.Studies).Summary;

    /// <summary>One quantity's differences from its last value, which add up to its total; all null when it is not attributed.</summary>
    private sealed class Telescope(double? first, double? last)
    {
        public static Telescope None => new(null, null);

        private double? previous = first;

        public double? Total { get; } = last - first;

        public double? Step(double? value)
        {
            if (Total is null || value is null)
                return null;
            var step = value - previous;
            previous = value;
            return step;
        }
    }
}
