using System.Globalization;
using Evidence.Domain.Snapshots;
using Evidence.Statistics;
using Evidence.Statistics.EffectSizes;
using Evidence.Statistics.Sequential;

namespace Evidence.Domain.Sequential;

/// <summary>
/// Trial sequential analysis on an outcome's versions: which versions are looks, and the section a
/// version carries. Pure, so the worker and a rebuild give the same sections.
/// <list type="bullet">
/// <item><b>A look</b> is a version whose included trials' data differ from those at the last look
/// (a trial recorded, corrected in its numbers, excluded, retracted or reinstated; a batch), in
/// version order. A version caused by the outcome's settings, thresholds, signal rules or
/// sequential parameters is not a look (its data did not change), nor is a correction of a
/// trial's year or attributes. A version with no included trials, or whose data give no effect
/// size under the measure, is not a look either (there is no Z). Each look keeps its trials,
/// participants (Σ n1ᵢ + n2ᵢ; aᵢ + bᵢ + cᵢ + dᵢ) and the DerSimonian-Laird fit of its data, whatever
/// the outcome's own method (the reference's rule 5).</item>
/// <item><b>Each version's analysis</b> uses every look so far, with the RIS adjusted by this
/// version's heterogeneity (D² or I² of all its included trials, the reference's rule 2), so every
/// look's information fraction is recomputed at each version; a pooled control risk is
/// Σcᵢ / Σ(cᵢ + dᵢ) over this version's included trials.</item>
/// <item><b>When information falls</b> (an exclusion or a retraction) the look's t is below the
/// last monitored look's: it is <c>none</c> (no boundary, never crossed) and alpha spent does not fall
/// (it stays a*(t) of the largest t so far). The alpha spent at the earlier looks was spent: taking
/// it back would let a review look again for free by removing a trial.</item>
/// <item><b>After the RIS</b> the first look with t ≥ 1 is <c>final</c>; every later look is
/// <c>post_final</c> and is judged against the final look's boundary (no alpha is left), even if
/// information later falls below the RIS again.</item>
/// <item><b>A change of measure</b> (RR to OR, say) restarts the looks: Z values on another scale
/// cannot share one Z-curve, so the version of the change is the first look of a new ledger (the
/// section's note says so).</item>
/// <item><b>When no RIS can be computed</b> (a pooled control risk with no control participants,
/// a control risk of 0 or 1, pc (1 - rrr) outside (0, 1), or a heterogeneity fraction so close to 1
/// that the adjusted RIS is not finite) the section has RIS 0, no looks and a note saying why; the
/// next version computes it again.</item>
/// </list>
/// </summary>
public static class SequentialRules
{
    /// <summary>
    /// The ledger after version <paramref name="version"/> of the outcome whose inputs are
    /// <paramref name="inputs"/>: a new look when the included trials' data changed since the last
    /// look, a new ledger when the measure changed (or for the first version).
    /// </summary>
    public static SequentialLedger Next(SequentialLedger? ledger, OutcomeInputs inputs, long version)
    {
        var measure = inputs.Settings.Measure;
        var digest = TrialDataDigest.Of(inputs.Included);
        if (ledger is null || ledger.Measure != measure)
        {
            var first = Look(inputs, version);
            return new SequentialLedger(measure, digest, first is null ? [] : [first], ledger is null ? null : version);
        }
        if (digest == ledger.DataDigest)
            return ledger;
        if (TrialDataDigest.Same(ledger.DataDigest, digest, inputs.Included))
            return ledger with { DataDigest = digest };
        var look = Look(inputs, version);
        return ledger with { DataDigest = digest, Looks = look is null ? ledger.Looks : [.. ledger.Looks, look] };
    }

    /// <summary>The section of a version with sequential parameters (null without them), from its inputs and the ledger as of it.</summary>
    public static SequentialSection? Section(OutcomeInputs inputs, SequentialLedger ledger)
    {
        if (inputs.Sequential is not { } settings)
            return null;
        try
        {
            return Analyze(inputs, ledger, settings);
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException)
        {
            // Data the API accepted never gets here; should the engine still refuse, the version says why rather than stopping the review's snapshots.
            return NotComputed(settings, inputs, $"not computed: {e.Message}");
        }
    }

    /// <summary>The DerSimonian-Laird fit of the outcome's included trials as a look, or null when there is none (no trials, an unsupported measure, data without an effect size).</summary>
    public static LedgerLook? Look(OutcomeInputs inputs, long version)
    {
        if (Effects(inputs) is not { } effects || effects.Yi.Count == 0)
            return null;
        LookInput fit;
        try
        {
            fit = TrialSequentialAnalysis.Look(version.ToString(CultureInfo.InvariantCulture), effects.Participants, effects.Yi, effects.Vi);
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException)
        {
            // Extreme but valid data the fit cannot take: no Z, so no look (like a version without trials).
            return null;
        }
        return double.IsFinite(fit.Estimate) && double.IsFinite(fit.Se) && fit.Se > 0 && double.IsFinite(fit.Tau2)
            ? new LedgerLook(version, fit.K, fit.Participants, fit.Estimate, fit.Se, fit.Tau2)
            : null;
    }

    /// <summary>Σcᵢ / Σ(cᵢ + dᵢ) over the included trials; null when they have no control participants.</summary>
    public static double? PooledControlRisk(IReadOnlyList<StudyInput> included)
    {
        double events = 0, participants = 0;
        foreach (var study in included)
        {
            if (study.Data.TryGetValue("ci", out var c) && study.Data.TryGetValue("di", out var d))
            {
                events += c;
                participants += c + d;
            }
        }
        return participants > 0 ? events / participants : null;
    }

    private static SequentialSection Analyze(OutcomeInputs inputs, SequentialLedger ledger, SequentialSettings settings)
    {
        var definition = MeasureCatalogue.ParseMeasure(inputs.Settings.Measure);
        if (!SequentialDecider.Supported.Contains(definition.Measure) || (definition.Measure == Measure.MD) != (settings.MeanDifference is not null))
            return NotComputed(settings, inputs, $"not computed: the parameters do not fit {definition.Name}.");

        var effects = Effects(inputs);
        var heterogeneity = effects is { Yi.Count: > 0 } e ? TrialSequentialAnalysis.Heterogeneity(e.Yi, e.Vi) : new SequentialHeterogeneity(0, 0, 0);
        var adjustment = Adjustment(settings.Heterogeneity);
        var fraction = TrialSequentialAnalysis.Fraction(adjustment, heterogeneity);
        double? controlRisk = null;
        if (definition.Measure != Measure.MD)
        {
            controlRisk = settings.PooledControlRisk ? PooledControlRisk(inputs.Included) : settings.ControlRisk;
            if (controlRisk is not { } pc)
                return NotComputed(settings, inputs, "not computed: no control-group participants to pool a control risk from.", heterogeneity, fraction);
            var pe = pc * (1 - settings.RelativeRiskReduction!.Value);
            if (!(pc is > 0 and < 1) || !(pe is > 0 and < 1))
                return NotComputed(settings, inputs,
                    $"not computed: a control risk of {F(pc)} with a relative risk reduction of {F(settings.RelativeRiskReduction.Value)} gives risks outside (0, 1).",
                    heterogeneity, fraction, pc);
        }
        var spending = settings.Spending == "Pocock" ? SpendingFunction.Pocock : SpendingFunction.OBrienFleming;
        var design = new SequentialDesign(settings.Alpha, settings.Beta, adjustment, spending, controlRisk, settings.RelativeRiskReduction,
            settings.MeanDifference, settings.StandardDeviation);
        var ris = TrialSequentialAnalysis.RequiredInformationSize(design);
        var adjusted = ris / (1 - fraction);
        if (!double.IsFinite(ris) || !(ris > 0) || !double.IsFinite(adjusted))
            return NotComputed(settings, inputs, $"not computed: the heterogeneity fraction ({F(fraction)}) leaves no finite required information size.",
                heterogeneity, fraction, controlRisk);

        var participants = effects?.Participants ?? 0;
        var inputsOfLooks = ledger.Looks.Select(l => new LookInput(l.Version.ToString(CultureInfo.InvariantCulture), l.K, l.Participants, l.Estimate, l.Se, l.Tau2)).ToList();
        var monitored = inputsOfLooks.Count == 0 ? [] : TrialSequentialAnalysis.Monitor(inputsOfLooks, adjusted, settings.Alpha, spending);
        var views = monitored.Select((m, i) => View(ledger.Looks[i].Version, m, definition)).ToList();
        var note = ledger.RestartedAt is { } restart
            ? $"the measure changed to {definition.Name} at version {restart}: the looks restart there (looks on another scale cannot share one Z-curve)."
            : null;
        return new SequentialSection(settings, ris, adjusted, heterogeneity.D2, heterogeneity.I2, heterogeneity.Tau2, fraction, participants,
            participants / adjusted >= 1, views, controlRisk, note);
    }

    private static SequentialLookView View(long version, SequentialLook look, MeasureDefinition measure)
    {
        var ratio = measure.IsRatio;
        return new SequentialLookView(version, look.K, look.Participants, look.T, look.Estimate, look.Se, look.Z, SequentialJson.Name(look.LookType),
            Finite(look.Boundary), look.Crossed, look.AlphaSpent, Finite(look.CiLower), Finite(look.CiUpper),
            ratio ? Finite(Math.Exp(look.Estimate)) : null, ratio ? Finite(look.CiLower is { } lo ? Math.Exp(lo) : null) : null,
            ratio ? Finite(look.CiUpper is { } hi ? Math.Exp(hi) : null) : null);
    }

    private static SequentialSection NotComputed(SequentialSettings settings, OutcomeInputs inputs, string note,
        SequentialHeterogeneity? heterogeneity = null, double fraction = 0, double? controlRisk = null) =>
        new(settings, 0, 0, heterogeneity?.D2 ?? 0, heterogeneity?.I2 ?? 0, heterogeneity?.Tau2 ?? 0, fraction, Effects(inputs)?.Participants ?? 0, false, [], controlRisk, note);

    private static HeterogeneityAdjustment Adjustment(string heterogeneity) => heterogeneity switch
    {
        "D2" => new HeterogeneityAdjustment(HeterogeneityKind.D2),
        "I2" => new HeterogeneityAdjustment(HeterogeneityKind.I2),
        "none" => new HeterogeneityAdjustment(HeterogeneityKind.None),
        _ => new HeterogeneityAdjustment(HeterogeneityKind.Fraction, double.Parse(heterogeneity, NumberStyles.Float, CultureInfo.InvariantCulture)),
    };

    private sealed record TrialEffects(IReadOnlyList<double> Yi, IReadOnlyList<double> Vi, double Participants);

    /// <summary>Effect sizes as metafor's escalc gives them (the reference's rule 1) and the participants, or null for an unsupported measure or unusable data.</summary>
    private static TrialEffects? Effects(OutcomeInputs inputs)
    {
        var measure = MeasureCatalogue.ParseMeasure(inputs.Settings.Measure).Measure;
        if (!SequentialDecider.Supported.Contains(measure))
            return null;
        var yi = new List<double>(inputs.Included.Count);
        var vi = new List<double>(inputs.Included.Count);
        var participants = 0.0;
        try
        {
            foreach (var study in inputs.Included)
            {
                var data = new StudyData(study.TrialId, study.Data);
                var effect = EffectSizeCalculator.Compute(measure, data);
                if (!double.IsFinite(effect.Yi) || !(effect.Vi > 0) || !double.IsFinite(effect.Vi))
                    return null;
                yi.Add(effect.Yi);
                vi.Add(effect.Vi);
                participants += TrialSequentialAnalysis.Participants(measure, data);
            }
        }
        catch (EffectSizeException)
        {
            return null;
        }
        return new TrialEffects(yi, vi, participants);
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
