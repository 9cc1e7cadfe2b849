namespace Evidence.Cli.Common;

/// <summary>A command's options: <c>--name value</c> pairs (repeatable) and <c>--flag</c> switches.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public Arguments(IEnumerable<string> args, IReadOnlySet<string> switches)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"unexpected argument '{arg}'");
            var name = arg[2..];
            var value = "true";
            if (!switches.Contains(name))
            {
                if (!e.MoveNext())
                    throw new UsageException($"--{name} needs a value");
                value = e.Current;
            }
            if (!values.TryGetValue(name, out var list))
                values[name] = list = [];
            list.Add(value);
        }
    }

    public string Required(string name) => Optional(name) ?? throw new UsageException($"--{name} is required");

    public string? Optional(string name)
    {
        used.Add(name);
        if (!values.TryGetValue(name, out var list))
            return null;
        return list.Count == 1 ? list[0] : throw new UsageException($"--{name} is given more than once");
    }

    public IReadOnlyList<string> Many(string name)
    {
        used.Add(name);
        return values.TryGetValue(name, out var list) ? list : [];
    }

    public bool Flag(string name) => Optional(name) is not null;

    /// <summary>Fails on options no command asked for, so a typo is not silently ignored.</summary>
    public void EnsureAllUsed()
    {
        var unknown = values.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"unknown option --{unknown[0]}");
    }
}

/// <summary>The command line is wrong; the message says how.</summary>
public sealed class UsageException(string message) : Exception(message);
