using System.Globalization;
using Evidence.Domain.Judgement;
using static Evidence.Domain.Tests.Judgement.Versions;

namespace Evidence.Domain.Tests.Judgement;

/// <summary>What holds for every rule: the first version, switched-off rules, estimability, order, and the numbers' format.</summary>
public class SignalEvaluatorTests
{
    private static readonly DecisionThresholds Lines = new(Null: 1, Lower: 0.8, Upper: 1.25);

    // From a small harm with a precise CI to a large benefit with a wide one, brought by a heavy new trial.
    private static readonly SignalBasis Harm = Basis(Ratio(1.4, 1.3, 1.5, p: 0.001, i2: 10, piLower: 1.28, piUpper: 1.52), Lines);
    private static readonly SignalBasis Benefit = Basis(Ratio(0.5, 0.2, 1.3, p: 0.09, i2: 80, piLower: 0.1, piUpper: 2.5), Lines);
    private static readonly CauseFacts HeavyTrial = new("TrialRecorded", "t9", false, true, 70);

    [Fact]
    public void Evaluate_Should_GiveNoSignals_ForAFirstVersion()
    {
        Assert.Empty(SignalEvaluator.Evaluate(null, Benefit, SignalRules.Default, HeavyTrial));
    }

    [Fact]
    public void Evaluate_Should_FireEveryRuleThatApplies_InTheOrderOfTheRules()
    {
        var signals = Between(Harm, Benefit, cause: HeavyTrial);

        Assert.Equal(
            [SignalKinds.Significance, SignalKinds.Direction, SignalKinds.CiNull, SignalKinds.PiNull,
             SignalKinds.CiThreshold, SignalKinds.CiThreshold, SignalKinds.PiThreshold, SignalKinds.PiThreshold,
             SignalKinds.EstimateThreshold, SignalKinds.EstimateThreshold, SignalKinds.RelativeChange, SignalKinds.Heterogeneity, SignalKinds.NewTrialWeight],
            signals.Kinds());
        Assert.Equal(["lower", "upper"], signals.Where(s => s.Kind == SignalKinds.CiThreshold).Select(s => s.Threshold));
        Assert.Equal(["lower", "upper"], signals.Where(s => s.Kind == SignalKinds.EstimateThreshold).Select(s => s.Threshold));
        Assert.Equal(signals.Kinds().Distinct(), SignalRules.Default.Named().Select(r => r.Name).Where(signals.Kinds().Contains));
    }

    [Fact]
    public void Evaluate_Should_NeverFireARuleThatIsOff()
    {
        foreach (var kind in SignalKinds.All)
        {
            var signals = Between(Harm, Benefit, Without(kind), HeavyTrial);
            Assert.DoesNotContain(kind, signals.Kinds());
        }
        var allOff = Only("none");
        Assert.Empty(Between(Harm, Benefit, allOff, HeavyTrial));
        Assert.Empty(Between(Basis(Ratio(1.5, 1.1, 2.0)), Basis(Ratio(1.5, 1.1, 2.0)), allOff, new CauseFacts("TrialRetracted", "t1", true, false, null)));
    }

    [Fact]
    public void Evaluate_Should_GiveNoEstimateSignals_WhenEitherVersionHasNoEstimate()
    {
        Assert.Empty(Between(Harm, Basis(NotEstimable, Lines)));
        Assert.Empty(Between(Basis(NotEstimable, Lines), Benefit));
    }

    [Fact]
    public void Evaluate_Should_GiveNoSignals_BetweenEqualVersions()
    {
        Assert.Empty(Between(Benefit, Benefit));
    }

    [Fact]
    public void Evaluate_Should_WriteNumbersTheSameInEveryCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // A culture that writes decimal commas, as German or French does.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = comma;
            var signals = Between(Harm, Benefit, cause: HeavyTrial);

            Assert.Equal("now significant at 0.05: p 0.09 -> 0.001", Between(Benefit, Harm).First().Text);
            Assert.Equal("the CI now includes the null (1): 1.3 to 1.5 -> 0.2 to 1.3", signals.Single(s => s.Kind == SignalKinds.CiNull).Text);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
