namespace EdgeVision.Tools.Cli;

/// <summary>Result files the tools write (tables, summaries): a reader never sees half of one.</summary>
public static class TextFile
{
    /// <summary>Writes <paramref name="text"/> to a temporary file beside <paramref name="path"/>, then renames it over.</summary>
    public static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
