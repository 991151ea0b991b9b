using System.Globalization;

namespace EdgeVision.Daemon.Teaching;

/// <summary>
/// Names of taught models: the file name under the taught directory, and the catalog name <c>taught/&lt;file&gt;</c>
/// that can never be confused with a shipped model's (shipped names are plain file names, no '/').
/// </summary>
public static class TeachNames
{
    public const string CatalogPrefix = "taught/";
    public const int MaxLength = 64;

    /// <summary>Why <paramref name="name"/> cannot name a taught model, or null.</summary>
    public static string? Problem(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "name is empty";
        if (name.Length > MaxLength) return $"name is {name.Length} characters long; at most {MaxLength} are allowed";
        if (name[0] == '.' || name.Contains("..", StringComparison.Ordinal)) return "name must not start with '.' or contain '..'";
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return $"name contains '{c}'; allowed are ASCII letters, digits, '-', '_' and '.'";
        }
        return null;
    }

    /// <summary>The file for <paramref name="name"/> (".onnx" appended unless present).</summary>
    public static string FileName(string name) => name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? name : name + ".onnx";

    /// <summary>A fresh default name: taught-yyyyMMdd-HHmmss, suffixed when taken.</summary>
    public static string Fresh(string directory, DateTimeOffset now)
    {
        string stem = "taught-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string name = stem;
        for (int i = 2; File.Exists(Path.Combine(directory, FileName(name))); i++) name = $"{stem}-{i}";
        return name;
    }
}
