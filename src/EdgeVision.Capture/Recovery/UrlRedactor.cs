using System.Text.RegularExpressions;

namespace EdgeVision.Capture;

/// <summary>
/// Removes credentials from text before it reaches a log or an exception: user:pass@ in any URL, and
/// password/token-like query parameters. Camera URLs routinely carry both.
/// </summary>
public static partial class UrlRedactor
{
    public const string Mask = "***";

    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)(?<userinfo>[^/?#@\s]+)@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?<key>[?&;](?:password|passwd|pwd|pass|token|access_token|auth|key|secret|signature|sig)=)(?<value>[^&#\s]+)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretQuery();

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!text.Contains("://", StringComparison.Ordinal) && !text.Contains('=')) return text;
        string result = UserInfo().Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        return SecretQuery().Replace(result, m => m.Groups["key"].Value + Mask);
    }
}
