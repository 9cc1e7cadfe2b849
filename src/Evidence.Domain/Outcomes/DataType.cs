namespace Evidence.Domain.Outcomes;

/// <summary>The shape of the data a trial reports for an outcome, with metafor's column names.</summary>
public sealed record DataType(string Name, IReadOnlyList<string> Columns, IReadOnlyList<string> Measures, bool AllowsCountMethods)
{
    public static readonly DataType Binary = new("binary", ["ai", "bi", "ci", "di"], ["OR", "RR", "RD", "PETO"], true);
    public static readonly DataType Continuous = new("continuous", ["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"], ["MD", "SMD", "ROM"], false);
    public static readonly DataType PrePost = new("prepost", ["m_pre", "sd_pre", "m_post", "sd_post", "ni", "ri"], ["MC", "SMCR", "SMCC"], false);
    public static readonly DataType Proportion = new("proportion", ["xi", "ni"], ["PR", "PLO", "PFT", "PAS"], false);
    public static readonly DataType Generic = new("generic", ["yi", "vi"], ["GEN"], false);

    public static readonly IReadOnlyList<DataType> All = [Binary, Continuous, PrePost, Proportion, Generic];

    public static DataType? Find(string? name) => All.FirstOrDefault(t => t.Name == name);
}
