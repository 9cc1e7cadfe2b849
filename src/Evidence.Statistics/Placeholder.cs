namespace Evidence.Statistics;

internal static class Placeholder;
