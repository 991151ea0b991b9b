using System.ComponentModel.DataAnnotations;

namespace EdgeVision.Daemon.Metrics;

/// <summary>
/// Section <c>Telemetry</c>: where the daemon's meter goes besides /metrics. Unset <see cref="OtlpEndpoint"/>: nowhere
/// (Prometheus scrapes /metrics). Set: the same instruments are pushed over OTLP to a collector, for fleets.
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// The collector's OTLP address: <c>http://collector:4318</c> for OTLP/HTTP (the daemon posts to its
    /// <c>/v1/metrics</c>), <c>http://collector:4317</c> with <see cref="OtlpProtocol"/> = Grpc. Null: no OTLP export.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>HttpProtobuf</c> (default) or <c>Grpc</c>.</summary>
    public OtlpTransport OtlpProtocol { get; set; } = OtlpTransport.HttpProtobuf;

    /// <summary>How often the instruments are pushed to the collector.</summary>
    public TimeSpan OtlpInterval { get; set; } = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    public bool OtlpEnabled => !string.IsNullOrWhiteSpace(OtlpEndpoint);

    /// <summary>The URL the exporter sends to: the metrics path appended for OTLP/HTTP, the address as given for gRPC.</summary>
    public Uri? OtlpTarget()
    {
        if (!OtlpEnabled || !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) || !IsHttp(uri)) return null;
        if (OtlpProtocol == OtlpTransport.Grpc) return uri;
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/" + uri.AbsolutePath.Trim('/') + (uri.AbsolutePath.Trim('/').Length == 0 ? "" : "/") + "v1/metrics");
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpEnabled && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && IsHttp(uri)))
            yield return new ValidationResult(
                $"{SectionName}:{nameof(OtlpEndpoint)} = '{OtlpEndpoint}' is not an absolute http:// or https:// address (e.g. http://collector:4318)",
                [nameof(OtlpEndpoint)]);
        if (OtlpInterval < MinInterval || OtlpInterval > MaxInterval)
            yield return new ValidationResult(
                $"{SectionName}:{nameof(OtlpInterval)} = {OtlpInterval} is outside {MinInterval}..{MaxInterval}", [nameof(OtlpInterval)]);
    }

    private static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps;
}

/// <summary>The OTLP transports the exporter speaks.</summary>
public enum OtlpTransport
{
    HttpProtobuf,
    Grpc,
}
