namespace Evidence.Domain;

internal static class Placeholder;
