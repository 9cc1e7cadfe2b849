using System.Text.Json;

namespace Evidence.IntegrationTests.Bundles;

/// <summary>The comparison the bundle tests rely on finds every kind of difference.</summary>
public sealed class JsonFieldsTests
{
    [Fact]
    public void Differences_Should_NameAFieldOnOneSide_ANumberOutsideTheTolerance_AndNullAgainstANumber()
    {
        var result = Parse("""{ "k": 3, "estimate": 1.0, "pi_lower": null, "groups": [{ "level": "a", "tau2": 0.5 }], "only": 1 }""");
        var reproduced = Parse("""{ "k": 3, "estimate": 1.00001, "pi_lower": 0.2, "groups": [{ "level": "b", "tau2": 0.5000001 }], "extra": 2 }""");

        var differences = JsonFields.Differences(result, reproduced, 1e-6, 1e-9);

        Assert.Equal(
            ["$.estimate", "$.pi_lower", "$.groups[0].level", "$.only", "$.extra"],
            differences.Select(d => d[..d.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public void Differences_Should_BeNone_ForEqualDocumentsWithinTheTolerance()
    {
        var differences = JsonFields.Differences(Parse("""{ "a": [1, null, "x"], "b": { "c": 2.0 } }"""), Parse("""{ "b": { "c": 2.0000000001 }, "a": [1, null, "x"] }"""), 1e-6, 0);
        Assert.Empty(differences);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
