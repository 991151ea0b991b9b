namespace EdgeVision.Daemon.Dataset;

/// <summary>A capture was asked for with a label <see cref="LabelRules"/> refuses; the message says why.</summary>
public sealed class InvalidLabelException(string label, string reason)
    : ArgumentException($"invalid label '{Shorten(label)}': {reason}")
{
    public string Label { get; } = label;
    public string Reason { get; } = reason;

    // A 10 KB label should not become a 10 KB log line.
    private static string Shorten(string label) => label.Length <= 80 ? label : label[..80] + "…";
}
