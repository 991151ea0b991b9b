using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EdgeVision.Daemon.Http;

/// <summary>The HTTP surface: where it listens, who may use it and how much it may cost. Section <c>Http</c>.</summary>
public sealed class HttpOptions : IValidatableObject
{
    public const string SectionName = "Http";

    /// <summary>Address to bind: an IP literal, <c>localhost</c>, <c>0.0.0.0</c> or <c>::</c>. Loopback unless told otherwise.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (tests), read back from the server's addresses.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8080;

    /// <summary>Bearer token. Required for every endpoint but /healthz when bound beyond loopback; generated at start when not set.</summary>
    public string? Token { get; set; }

    /// <summary>Demands the token even on loopback (a shared machine; tests).</summary>
    public bool RequireToken { get; set; }

    [Range(1, 10_000)]
    public int MaxConnections { get; set; } = 128;

    /// <summary>Slowest response a client may read at before it is disconnected (a stuck viewer).</summary>
    [Range(1, 10_000_000)]
    public double MinResponseBytesPerSecond { get; set; } = 4096;

    [Range(1, 120)]
    public double MinResponseGraceSeconds { get; set; } = 5;

    /// <summary>A stream client that cannot take one frame in this long is disconnected.</summary>
    [Range(1, 300)]
    public double StreamSendTimeoutSeconds { get; set; } = 10;

    /// <summary>MJPEG and event-stream clients at once; more get 429.</summary>
    [Range(1, 1024)]
    public int MaxStreamClients { get; set; } = 64;

    [Range(1, 240)]
    public int MaxStreamFps { get; set; } = 30;

    [Range(64, 7680)]
    public int MaxStreamWidth { get; set; } = 1920;

    /// <summary>Quality of JPEGs the HTTP side encodes itself (raw stream, downscaled streams).</summary>
    [Range(10, 100)]
    public int JpegQuality { get; set; } = 80;

    /// <summary>Largest POST body accepted; bigger ones get 413.</summary>
    [Range(256, 1_048_576)]
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Requests that change state (POST, DELETE …) a client may send at once before the per-second rate applies; 429 beyond.</summary>
    [Range(1, 10_000)]
    public int WriteRateLimitBurst { get; set; } = 60;

    /// <summary>Requests that change state a client may send per second once its burst is spent.</summary>
    [Range(1, 10_000)]
    public int WriteRateLimitPerSecond { get; set; } = 10;

    [Range(1, 300)]
    public double EventHeartbeatSeconds { get; set; } = 15;

    /// <summary>Root of captured training frames; default $STATE_DIRECTORY/captures under systemd, else ./runs/captures.</summary>
    public string? DatasetRoot { get; set; }

    /// <summary>Whether requests must carry the token: bound beyond loopback, or forced.</summary>
    public bool TokenRequired => RequireToken || !IsLoopback(Address);

    public string ResolveDatasetRoot()
    {
        if (!string.IsNullOrWhiteSpace(DatasetRoot)) return Path.GetFullPath(DatasetRoot);
        // systemd passes StateDirectory= as a colon-separated list; the first entry is ours.
        string? state = Environment.GetEnvironmentVariable("STATE_DIRECTORY")?.Split(':')[0];
        return string.IsNullOrWhiteSpace(state)
            ? Path.GetFullPath(Path.Combine("runs", "captures"))
            : Path.Combine(state, "captures");
    }

    public static bool IsLoopback(string address) =>
        address.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Address) ||
            !(Address.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(Address, out _)))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(Address)} = '{Address}' is not an IP address or 'localhost' (use 0.0.0.0 for every interface)",
                [nameof(Address)]);
        }
        if (Token is not null && (Token.Length < 16 || Token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(Token)} must be at least 16 characters without white space (or unset to generate one)",
                [nameof(Token)]);
        }
        if (MinResponseGraceSeconds <= 1)
        {
            // Kestrel's MinDataRate throws for a grace period of 1 s or less, at start-up and without naming the key.
            yield return new ValidationResult(
                $"{SectionName}:{nameof(MinResponseGraceSeconds)} = {MinResponseGraceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be more than 1 second (Kestrel's smallest grace period)",
                [nameof(MinResponseGraceSeconds)]);
        }
        if (DatasetRoot is not null && (DatasetRoot.Length == 0 || DatasetRoot.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(DatasetRoot)} = '{DatasetRoot}' is not a usable path", [nameof(DatasetRoot)]);
        }
    }
}
