namespace Evidence.Cli.Common;

/// <summary>A one-line progress bar on standard error, redrawn in place.</summary>
public sealed class ProgressBar(TextWriter writer, int total)
{
    private const int Width = 30;
    private int done;

    public void Step()
    {
        done++;
        var filled = total == 0 ? Width : done * Width / total;
        writer.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total}");
    }

    public void Done() => writer.WriteLine();
}
