using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// The bearer token guarding the HTTP surface when it is reachable from other machines: the configured one,
/// or 32 random bytes generated once per start (and logged once, so the operator can open the viewer).
/// </summary>
public sealed class AccessToken
{
    private readonly byte[] _expected;

    public AccessToken(IOptions<HttpOptions> options)
    {
        var http = options.Value;
        Required = http.TokenRequired;
        Generated = string.IsNullOrEmpty(http.Token);
        Value = Generated ? Base64UrlEncode(RandomNumberGenerator.GetBytes(32)) : http.Token!;
        _expected = Encoding.UTF8.GetBytes(Value);
    }

    public bool Required { get; }

    /// <summary>True when no token was configured and <see cref="Value"/> was made up at start.</summary>
    public bool Generated { get; }

    public string Value { get; }

    /// <summary>Constant-time comparison, so response timing does not reveal how much of a guess was right.</summary>
    public bool Matches(ReadOnlySpan<char> presented)
    {
        if (presented.IsEmpty || presented.Length > 1024) return false;
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(presented.Length)];
        int length = Encoding.UTF8.GetBytes(presented, bytes);
        return CryptographicOperations.FixedTimeEquals(bytes[..length], _expected);
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
