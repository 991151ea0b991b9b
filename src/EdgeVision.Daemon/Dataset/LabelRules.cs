namespace EdgeVision.Daemon.Dataset;

/// <summary>
/// What a class label may look like. A label becomes a directory name under <c>train/</c>, so anything that
/// could climb out of the dataset root, hide a file or confuse a shell is refused with the reason.
/// </summary>
public static class LabelRules
{
    public const int MaxLength = 64;

    /// <summary>Why <paramref name="label"/> is not acceptable, or null when it is.</summary>
    public static string? Problem(string? label)
    {
        if (string.IsNullOrWhiteSpace(label)) return "label is empty";
        if (label.Length > MaxLength) return $"label is {label.Length} characters long; at most {MaxLength} are allowed";
        if (label.Contains("..", StringComparison.Ordinal)) return "label must not contain '..'";
        if (label[0] == '.') return "label must not start with '.'";
        if (label != label.Trim()) return "label must not start or end with white space";
        foreach (char c in label)
        {
            if (c is '/' or '\\') return "label must not contain a path separator";
            if (char.IsControl(c)) return "label must not contain control characters";
            if (!(char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.'))
                return $"label contains '{c}'; allowed are letters, digits, space, '-', '_' and '.'";
        }
        return null;
    }
}
