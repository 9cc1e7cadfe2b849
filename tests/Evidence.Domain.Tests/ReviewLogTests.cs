using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

public class ReviewLogTests
{
    private static (ReviewLog Log, long Sequence) Standard()
    {
        var log = new ReviewLog();
        long seq = 0;
        log.Apply(new ReviewCreated("ld-il2", "t", "q", null, Given.By), ++seq);
        foreach (var o in new[] { Given.Outcome("response", "binary", "OR"), Given.Outcome("treg", "prepost", "SMCR", subgroup: "disease") })
            log.Apply(o, ++seq);
        return (log, seq);
    }

    private static TrialRecorded Recorded(string id, int year, string disease, params string[] outcomes) =>
        new(id, "ld-il2", year, "src", null, new Dictionary<string, string> { ["disease"] = disease, ["dose"] = "1" },
            outcomes.ToDictionary(o => o, o => (IReadOnlyDictionary<string, double>)(o == "response"
                ? Given.Binary(year % 10 + 1, 10, 5, 10)
                : new Dictionary<string, double> { ["m_pre"] = 1, ["sd_pre"] = 1, ["m_post"] = 2, ["sd_post"] = 1, ["ni"] = 10, ["ri"] = 0.5 })),
            Given.By);

    [Fact]
    public void Inputs_Should_OrderByYearThenId_And_CarryTheSubgroup()
    {
        var (log, seq) = Standard();
        log.Apply(Recorded("b-2020", 2020, "SLE", "treg"), ++seq);
        log.Apply(Recorded("a-2020", 2020, "RA", "treg"), ++seq);
        log.Apply(Recorded("z-2016", 2016, "SLE", "treg", "response"), ++seq);

        var inputs = log.Inputs("treg");

        Assert.Equal(["z-2016", "a-2020", "b-2020"], inputs.Included.Select(s => s.TrialId));
        Assert.Equal(["SLE", "RA", "SLE"], inputs.Included.Select(s => s.Subgroup));
        Assert.Single(log.Inputs("response").Included);
    }

    [Fact]
    public void Hash_Should_Change_OnlyWhen_TheAnalysisInputsChange()
    {
        var (log, seq) = Standard();
        log.Apply(Recorded("he2020", 2020, "SLE", "treg"), ++seq);
        var first = log.Inputs("treg").Hash();

        var doseOnly = new TrialCorrected("he2020", "ld-il2", [], [new AttributeChange("dose", "1", "2")], Given.By);
        log.Apply(doseOnly, ++seq);
        var afterDose = log.Inputs("treg").Hash();
        log.Apply(new TrialCorrected("he2020", "ld-il2", [], [new AttributeChange("disease", "SLE", "RA")], Given.By), ++seq);
        var afterDisease = log.Inputs("treg").Hash();
        log.Apply(new TrialExcluded("he2020", "ld-il2", Given.By with { Reason = "r" }), ++seq);
        var inputs = log.Inputs("treg");

        Assert.Equal(first, afterDose);
        Assert.NotEqual(afterDose, afterDisease);
        Assert.Empty(inputs.Included);
        Assert.Equal("excluded", Assert.Single(inputs.LeftOut).Status);
        Assert.NotEqual(afterDisease, inputs.Hash());
    }

    [Fact]
    public void Candidates_Should_BeTheOutcomesTheTrialHasDataFor()
    {
        var (log, seq) = Standard();
        var recorded = Recorded("he2020", 2020, "SLE", "treg");
        Assert.Equal(["treg"], log.Candidates(recorded));
        log.Apply(recorded, ++seq);

        var addsResponse = new TrialCorrected("he2020", "ld-il2", [new DataChange("response", "ai", null, 3)], [], Given.By);

        Assert.Equal(["treg", "response"], log.Candidates(addsResponse));
        Assert.Equal(["treg"], log.Candidates(new TrialRetracted("he2020", "ld-il2", null, Given.By)));
        Assert.Empty(log.Candidates(new ReviewCreated("x", "t", "q", null, Given.By)));
    }
}
