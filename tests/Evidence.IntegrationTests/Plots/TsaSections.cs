using Evidence.Domain.Snapshots;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Evidence.Domain.Sequential;

namespace Evidence.IntegrationTests.Plots;

/// <summary>
/// Sequential sections to draw: boundaries from the TSA reference cases (obf-unequal, normand1999,
/// bcg), the looks named by version.
/// </summary>
public static class TsaSections
{
    public static readonly SequentialSettings Binary = new(0.05, 0.2, "D2", "OBF", PooledControlRisk: true, RelativeRiskReduction: -0.5);

    /// <summary>Information rising at every look, the RIS not reached, Z crossing the boundary at the third look.</summary>
    public static SequentialSection Crossing() => Fractions(new(Binary, 790, 1000, 0.21, 0.3, 0.02, 0.21, 930, false,
    [
        Look(1, 2, 150, 1.2, "interim", 5.66966960168567, 1.4307315803495e-08),
        Look(2, 4, 320, 2.4, "interim", 3.79361362106979, 0.000148476256960957),
        Look(3, 5, 410, 3.5, "interim", 3.32620338267753, 0.000928831861213104),
        Look(4, 7, 770, 3.1, "interim", 2.30870842466152, 0.0212793619039347),
        Look(5, 8, 930, 3.3, "interim", 2.1206695323452, 0.0402267307712714),
    ], ControlRisk: 0.42));

    /// <summary>A retraction at version 4 takes participants away: that look has no boundary, and the curve goes back.</summary>
    public static SequentialSection Falling() => Fractions(new(Binary, 815, 1032, 0.21, 0.3, 0.02, 0.21, 780, false,
    [
        Look(1, 1, 95, 1.55, "none", null, 0),
        Look(2, 4, 412, 2.41, "interim", 3.62, 0.0021),
        Look(3, 5, 610, 2.25, "interim", 2.75, 0.0097),
        Look(4, 4, 455, 1.71, "none", null, 0.0097),
        Look(5, 6, 780, 2.02, "interim", 2.36, 0.0232),
    ], ControlRisk: 0.42));

    /// <summary>normand1999-md-h50-obf: an interim crossing, then not; the final look just past the RIS and four looks after it.</summary>
    public static SequentialSection PastRis() => Fractions(new(
        new SequentialSettings(0.05, 0.2, "0.5", "OBF", MeanDifference: 10, StandardDeviation: 30), 282.559670436567, 565.119340873134,
        0.977743775863323, 0.96651540150844, 205.409375467911, 0.5, 1158, true,
        [
            Look(1, 1, 311, -3.14238556314391, "interim", 2.8049784729887, 0.00503199403644354, crossed: true),
            Look(2, 2, 374, -1.111464192991, "interim", 2.56810193333483, 0.0117310146332372),
            Look(3, 3, 520, -1.3700993886277, "interim", 2.10732243819412, 0.0389177798981792),
            Look(4, 4, 556, -2.12110862298161, "interim", 2.09905946462875, 0.0476785891660578, crossed: true),
            Look(5, 5, 577, -2.35548019145519, "final", 2.18762241267311, 0.05, crossed: true),
            Look(6, 6, 686, -3.17447658619264, "post_final", 2.18762241267311, 0.05, crossed: true),
            Look(7, 7, 753, -2.78861301957568, "post_final", 2.18762241267311, 0.05, crossed: true),
            Look(8, 8, 1046, -3.0256965645235, "post_final", 2.18762241267311, 0.05, crossed: true),
            Look(9, 9, 1158, -2.72723708162246, "post_final", 2.18762241267311, 0.05, crossed: true),
        ]));

    /// <summary>Each look's information fraction, t = participants / RIS (adjusted).</summary>
    private static SequentialSection Fractions(SequentialSection s) =>
        s with { Looks = s.Looks.Select(l => l with { T = l.Participants / s.RisAdjusted }).ToList() };

    private static SequentialLookView Look(long version, int k, double participants, double z, string type, double? boundary, double alphaSpent, bool? crossed = null) =>
        new(version, k, participants, double.NaN, z * 0.1, 0.1, z, type, boundary, crossed ?? (boundary is { } b && Math.Abs(z) >= b), alphaSpent,
            boundary is { } c ? z * 0.1 - c * 0.1 : null, boundary is { } d ? z * 0.1 + d * 0.1 : null);

    /// <summary>Writes <paramref name="section"/> into the stored version.</summary>
    public static async Task StoreAsync(IServiceProvider services, string review, string outcome, long version, SequentialSection section)
    {
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession();
        var stored = await session.LoadAsync<Snapshot>(Snapshot.DocumentId(review, outcome, version));
        session.Store(stored! with { Sequential = section });
        await session.SaveChangesAsync();
    }
}
