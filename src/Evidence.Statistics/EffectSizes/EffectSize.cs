namespace Evidence.Statistics.EffectSizes;

/// <summary>An observed effect <c>yi</c> and its sampling variance <c>vi</c>, on the measure's analysis scale.</summary>
public readonly record struct EffectSize(double Yi, double Vi);
