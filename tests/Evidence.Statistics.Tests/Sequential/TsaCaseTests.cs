namespace Evidence.Statistics.Tests.Sequential;

/// <summary>
/// Every TSA reference case under <c>Reference/tsa/cases</c>, full and boundary-only, every field of
/// its <c>expected</c> within the case's tolerance for that field's class. A new case file is a new test.
/// </summary>
public class TsaCaseTests
{
    public static TheoryData<string> Cases => new(TsaCases.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tsa_Should_ReproduceTheReference_OnEveryField(string name)
    {
        var reference = TsaCases.Load(name);

        var mismatches = TsaComparer.Compare(reference, TsaCases.Run(reference));

        Assert.True(mismatches.Count == 0, $"{name}: {mismatches.Count} field(s) differ from the reference:\n{string.Join('\n', mismatches.Take(40))}");
    }

    [Fact]
    public void Cases_Should_AllBeFound_BothKinds()
    {
        var names = TsaCases.Names().ToList();

        Assert.Equal(Directory.GetFiles(Path.Combine(TsaCases.Root, "cases"), "*.json").Length, names.Count);
        Assert.Contains(names, n => TsaCases.IsBoundaryOnly(TsaCases.Load(n)));
        Assert.Contains(names, n => !TsaCases.IsBoundaryOnly(TsaCases.Load(n)));
    }
}
