using EdgeVision.Data;
using Spectre.Console;

namespace EdgeVision.Tools.Cli;

/// <summary>The console line every verb prints for unreadable images it skipped: how many, and which (the first ten).</summary>
public static class SkippedImagesReport
{
    public const int Listed = 10;

    public static void Print(IImageDataset? data)
    {
        if (data is null || data.Skipped.Count == 0) return;
        AnsiConsole.MarkupLine(Markup.Escape($"skipped {data.Skipped.Count} unreadable image(s) in {data.Name}:"));
        foreach (var s in data.Skipped.Take(Listed)) AnsiConsole.MarkupLine(Markup.Escape($"  {s.Path}: {s.Reason}"));
        if (data.Skipped.Count > Listed) AnsiConsole.MarkupLine(Markup.Escape($"  … and {data.Skipped.Count - Listed} more"));
    }
}
