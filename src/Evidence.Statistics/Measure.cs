namespace Evidence.Statistics;

/// <summary>Effect measures, with metafor's names (<c>escalc</c>'s <c>measure</c>); <see cref="MeasureCatalogue"/> defines each.</summary>
public enum Measure
{
    /// <summary>Log odds ratio, 2x2 tables.</summary>
    OR,
    /// <summary>Log risk ratio, 2x2 tables.</summary>
    RR,
    /// <summary>Risk difference, 2x2 tables.</summary>
    RD,
    /// <summary>Peto's log odds ratio, 2x2 tables (pooled with <see cref="Method.PETO"/>).</summary>
    PETO,
    /// <summary>Raw mean difference, two groups.</summary>
    MD,
    /// <summary>Standardised mean difference with Hedges' exact small-sample correction (Hedges' g).</summary>
    SMD,
    /// <summary>Log ratio of means, two groups.</summary>
    ROM,
    /// <summary>Raw mean change (post - pre), one group.</summary>
    MC,
    /// <summary>Standardised mean change using the change-score SD.</summary>
    SMCC,
    /// <summary>Standardised mean change using the pre-test (raw-score) SD.</summary>
    SMCR,
    /// <summary>Raw proportion.</summary>
    PR,
    /// <summary>Logit-transformed proportion.</summary>
    PLO,
    /// <summary>Freeman-Tukey double-arcsine-transformed proportion (metafor's halved form).</summary>
    PFT,
    /// <summary>Arcsine square-root-transformed proportion.</summary>
    PAS,
    /// <summary>Generic effect: <c>yi</c> with <c>vi</c> (or <c>sei</c>) given.</summary>
    GEN,
}

/// <summary>How the pooled estimate is obtained; <see cref="MeasureCatalogue.Methods"/> defines each.</summary>
public enum Method
{
    /// <summary>Common (fixed) effect, inverse-variance weights.</summary>
    FE,
    /// <summary>DerSimonian-Laird (1986) method-of-moments tau².</summary>
    DL,
    /// <summary>Restricted maximum likelihood tau² (Viechtbauer 2005), Fisher scoring.</summary>
    REML,
    /// <summary>Paule-Mandel (1982) tau²: the generalised Q equals its expectation k - p.</summary>
    PM,
    /// <summary>Maximum likelihood tau² (Viechtbauer 2005), Fisher scoring.</summary>
    ML,
    /// <summary>Hedges (1983) method-of-moments tau² with unit weights ("HE").</summary>
    HE,
    /// <summary>Sidik-Jonkman (2005) tau².</summary>
    SJ,
    /// <summary>Empirical Bayes tau² (Morris 1983; Berkey et al. 1995).</summary>
    EB,
    /// <summary>Mantel-Haenszel (1959) pooling of 2x2 tables (OR, RR, RD), Greenland-Robins (1985) variance.</summary>
    MH,
    /// <summary>Peto's one-step odds ratio (Yusuf et al. 1985).</summary>
    PETO,
}

/// <summary>How the estimate is tested and its interval built.</summary>
public enum Test
{
    /// <summary>Normal (Wald) test and interval.</summary>
    Z,
    /// <summary>Knapp-Hartung (2003): variance scaled by the weighted residual mean square, t with k - p df (metafor's <c>test="knha"</c>, no truncation).</summary>
    Knha,
}
