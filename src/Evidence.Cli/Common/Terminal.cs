using Spectre.Console;

namespace Evidence.Cli.Common;

/// <summary>Where a command writes: its results to <see cref="Output"/>, progress and errors to <see cref="Error"/>.</summary>
public sealed record Terminal(TextWriter Output, TextWriter Error)
{
    /// <summary>Wide enough that a report's tables never wrap in a file or a pipe.</summary>
    private const int RedirectedWidth = 200;

    /// <summary>
    /// A Spectre console over <paramref name="writer"/>: colours and a redrawn progress bar only when
    /// it is the process's own terminal; plain text without escape codes when redirected or captured.
    /// </summary>
    public static IAnsiConsole Console(TextWriter writer)
    {
        var terminal = (ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected)
            || (ReferenceEquals(writer, System.Console.Error) && !System.Console.IsErrorRedirected);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!terminal)
            console.Profile.Width = RedirectedWidth;
        return console;
    }
}
