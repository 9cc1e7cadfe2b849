namespace Evidence.Statistics;

/// <summary>
/// The kind of numbers a study gives for an outcome, with metafor's column names. Every measure is
/// computed from exactly one data type (<see cref="MeasureDefinition.DataType"/>).
/// </summary>
/// <param name="Name">The name settings and events use: <c>binary</c>, <c>continuous</c>, <c>prepost</c>, <c>proportion</c>, <c>generic</c>.</param>
/// <param name="Columns">The columns a study of this type gives, in the order they are listed to users.</param>
public sealed record DataType(string Name, IReadOnlyList<string> Columns)
{
    /// <summary>2x2 tables: events <c>ai</c> and non-events <c>bi</c> in group 1, <c>ci</c> and <c>di</c> in group 2.</summary>
    public static readonly DataType Binary = new("binary", ["ai", "bi", "ci", "di"]);

    /// <summary>Two groups' means, standard deviations and sizes.</summary>
    public static readonly DataType Continuous = new("continuous", ["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"]);

    /// <summary>One group measured before and after: means, standard deviations, size <c>ni</c> and the pre-post correlation <c>ri</c>.</summary>
    public static readonly DataType PrePost = new("prepost", ["m_pre", "sd_pre", "m_post", "sd_post", "ni", "ri"]);

    /// <summary>Events <c>xi</c> among <c>ni</c> participants of one group.</summary>
    public static readonly DataType Proportion = new("proportion", ["xi", "ni"]);

    /// <summary>An effect <c>yi</c> with its sampling variance <c>vi</c>, computed elsewhere.</summary>
    public static readonly DataType Generic = new("generic", ["yi", "vi"]);

    /// <summary>Every data type, in the order they are listed to users.</summary>
    public static readonly IReadOnlyList<DataType> All = [Binary, Continuous, PrePost, Proportion, Generic];

    /// <summary>The data type named <paramref name="name"/> (exact, case-sensitive), or null.</summary>
    public static DataType? Find(string? name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>The measures computed from this data type, in the catalogue's order.</summary>
    public IReadOnlyList<MeasureDefinition> Measures => MeasureCatalogue.Measures.Where(m => m.DataType == this).ToList();

    public override string ToString() => Name;
}
