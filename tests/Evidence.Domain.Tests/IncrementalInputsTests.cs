using System.Globalization;
using Evidence.Domain.Outcomes;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>
/// The log keeps each outcome's inputs up to date event by event; after any sequence of events they
/// must equal the inputs computed from scratch (every trial, sorted), and the cached hash must equal
/// the hash of those inputs.
/// </summary>
public class IncrementalInputsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Inputs_Should_EqualAFreshComputation_AfterEveryEvent(int seed)
    {
        var random = new Random(seed);
        var log = new ReviewLog();
        long seq = 0;
        log.Apply(new ReviewCreated("ld-il2", "t", "q", null, Given.By), ++seq);
        log.Apply(Given.Outcome("response", "binary", "OR"), ++seq);
        var diseases = new[] { "SLE", "RA", "pSS" };
        for (var step = 0; step < 400; step++)
        {
            var trialIds = log.Trials.Keys.ToList();
            object e = random.Next(9) switch
            {
                _ when trialIds.Count < 3 => Recorded(random, trialIds.Count),
                0 or 1 or 2 => Recorded(random, trialIds.Count),
                3 => Correct(random, log.Trials[trialIds[random.Next(trialIds.Count)]], diseases),
                4 => new TrialExcluded(trialIds[random.Next(trialIds.Count)], "ld-il2", Given.By with { Reason = "r" }),
                5 => new TrialReinstated(trialIds[random.Next(trialIds.Count)], "ld-il2", Given.By with { Reason = "r" }),
                6 => new TrialRetracted(trialIds[random.Next(trialIds.Count)], "ld-il2", "notice", Given.By with { Reason = "r" }),
                7 when log.Review!.Outcomes.ContainsKey("treg") => Settings(log, random),
                _ => log.Review!.Outcomes.ContainsKey("treg") ? Recorded(random, trialIds.Count) : Given.Outcome("treg", "binary", "RR", subgroup: "disease"),
            };
            log.Apply(e, ++seq);
            foreach (var outcome in log.Review!.Outcomes.Keys)
            {
                var expected = FromScratch(log, outcome);
                var actual = log.Inputs(outcome);
                Assert.Equal(expected.Included, actual.Included);
                Assert.Equal(expected.LeftOut, actual.LeftOut);
                Assert.Equal(expected.Hash(), log.Hash(outcome));
            }
        }
    }

    /// <summary>Order keys that mix numbers and text, which a sorted set must still order consistently.</summary>
    private static readonly string[] Ranks = ["2", "19", "202", "2019", "2019a", "b"];

    private static TrialRecorded Recorded(Random random, int n)
    {
        var outcomes = random.Next(3) switch { 0 => new[] { "response" }, 1 => ["treg"], _ => ["response", "treg"] };
        return new TrialRecorded($"t{n:000}", "ld-il2", 2000 + random.Next(10), "src", null,
            new Dictionary<string, string> { ["disease"] = random.Next(2) == 0 ? "SLE" : "RA", ["rank"] = Ranks[random.Next(Ranks.Length)] },
            outcomes.ToDictionary(o => o, _ => (IReadOnlyDictionary<string, double>)Given.Binary(random.Next(1, 9), 10, random.Next(1, 9), 10)),
            Given.By);
    }

    private static TrialCorrected Correct(Random random, Trial trial, string[] diseases)
    {
        var outcome = random.Next(2) == 0 ? "response" : "treg";
        var old = trial.Data.TryGetValue(outcome, out var values) ? values["ai"] : (double?)null;
        var data = random.Next(4) == 0 && old is not null
            ? trial.Data[outcome].Select(v => new DataChange(outcome, v.Key, v.Value, null)).ToList()
            : [new DataChange(outcome, "ai", old, random.Next(1, 9)), .. old is null ? new[] { new DataChange(outcome, "bi", null, 10), new(outcome, "ci", null, 3), new(outcome, "di", null, 10) } : []];
        var disease = diseases[random.Next(diseases.Length)];
        return new TrialCorrected(trial.TrialId, "ld-il2", data, [new AttributeChange("disease", trial.Attributes.GetValueOrDefault("disease"), disease)], Given.By with { Reason = "r" });
    }

    private static OutcomeAnalysisChanged Settings(ReviewLog log, Random random)
    {
        var previous = log.Review!.Outcomes["treg"].Analysis;
        var next = previous with { Order = random.Next(2) == 0 ? "year" : "rank", Subgroup = random.Next(2) == 0 ? null : "disease" };
        return new OutcomeAnalysisChanged("ld-il2", "treg", previous, next, Given.By with { Reason = "protocol" });
    }

    /// <summary>The inputs as defined: every trial with data for the outcome, included ones in the cumulative order, left-out ones by id.</summary>
    private static OutcomeInputs FromScratch(ReviewLog log, string outcomeId)
    {
        var outcome = log.Review!.Outcomes[outcomeId];
        var settings = outcome.Analysis;
        var withData = log.Trials.Values.Where(t => t.Data.ContainsKey(outcomeId)).ToList();
        var included = withData.Where(t => t.Status == TrialStatus.Included)
            .Select(t => new StudyInput(t.TrialId, t.Version, t.Year, t.Data[outcomeId],
                settings.Subgroup is null ? null : t.Attributes.GetValueOrDefault(settings.Subgroup),
                settings.Order == AnalysisPlan.DefaultOrder ? t.Year.ToString(CultureInfo.InvariantCulture) : t.Attributes.GetValueOrDefault(settings.Order)))
            .OrderBy(s => s, StudyOrder.Instance)
            .ToList();
        var leftOut = withData.Where(t => t.Status != TrialStatus.Included).OrderBy(t => t.TrialId, StringComparer.Ordinal)
            .Select(t => new LeftOutStudy(t.TrialId, t.Version, t.Status.ToString().ToLowerInvariant(), t.StatusReason, t.RetractionNotice))
            .ToList();
        return new OutcomeInputs(log.Review.Id, outcomeId, outcome.DataType, settings, included, leftOut);
    }
}
