namespace Evidence.Domain;

/// <summary>A command broke a rule of the domain; mapped to an HTTP status in one place by the API.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>One or more fields of a command are invalid; <see cref="Errors"/> is keyed by JSON path.</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
    : DomainException("One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The addressed review, outcome or trial does not exist.</summary>
public sealed class NotFoundException(string what, string id) : DomainException($"{what} '{id}' was not found.")
{
    public string What { get; } = what;
    public string Id { get; } = id;
}

/// <summary>The command conflicts with the current state (a duplicate id, or a status that forbids it).</summary>
public sealed class ConflictException(string message) : DomainException(message);

/// <summary>The caller's expected version of a trial is not the current one.</summary>
public sealed class VersionMismatchException(long expected, long actual)
    : DomainException($"Expected version {expected} but the current version is {actual}.")
{
    public long Expected { get; } = expected;
    public long Actual { get; } = actual;
}
