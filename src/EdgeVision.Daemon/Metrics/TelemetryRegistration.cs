using EdgeVision.Daemon.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using System.Diagnostics.Metrics;

namespace EdgeVision.Daemon.Metrics;

/// <summary>
/// The daemon's meter through OpenTelemetry's SDK: Prometheus text on /metrics, and OTLP to a collector when
/// Telemetry:OtlpEndpoint is set. One SDK for both exporters (prometheus-net would have needed a second pipeline for
/// OTLP); the exporter is told to keep the instruments' names as they are, so today's series names do not change.
/// </summary>
public static class TelemetryRegistration
{
    public const string ScrapePath = "/metrics";

    public static IServiceCollection AddDaemonTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>>(new SectionValidator<TelemetryOptions>(TelemetryOptions.SectionName));
        services.TryAddSingleton(sp => new DaemonMetrics(sp.GetRequiredService<IMeterFactory>()));
        var configured = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(DaemonMetrics.MeterName);
            // The SDK picks meters by name across the whole process; this host reads only the meter its own factory
            // made (a test process holds many hosts, each with its "EdgeVision.Daemon").
            ((IDeferredMeterProviderBuilder)metrics).Configure((sp, builder) =>
            {
                var own = sp.GetRequiredService<IMeterFactory>();
                builder.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop);
            });
            metrics.AddPrometheusExporter(o =>
            {
                o.ScrapeEndpointPath = ScrapePath;
                // Names exactly as the instruments spell them: no unit or _total suffixes appended.
                o.TranslationStrategy = PrometheusAspNetCoreTranslationStrategy.UnderscoreEscapingWithoutSuffixes;
                // No otel_scope_* labels on every series and no target_info family: the dashboards' label sets stay as they were.
                o.ScopeInfoEnabled = false;
                o.TargetInfoEnabled = false;
                // Every scrape is fresh (the default caches 300 ms, which a test reading right after an event would see).
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            });
            // An invalid address is left to the start-up validation, which names the key.
            if (configured.OtlpTarget() is { } target)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = target;
                    exporter.Protocol = configured.OtlpProtocol == OtlpTransport.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)configured.OtlpInterval.TotalMilliseconds;
                    reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
                });
            }
        });
        return services;
    }

    /// <summary>
    /// /metrics, served by the exporter in the Prometheus text format 0.0.4 whatever the scraper accepts: the series
    /// /metrics has always carried. (This exporter's OpenMetrics answer adds a <c>_created</c> series per counter and
    /// would need counter families named without <c>_total</c>.) The instruments exist before the first scrape.
    /// </summary>
    public static void MapDaemonMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<DaemonMetrics>();
        app.MapPrometheusScrapingEndpoint(ScrapePath, meterProvider: null, configureBranchedPipeline: branch => branch.Use((context, next) =>
        {
            context.Request.Headers.Accept = ClassicTextFormat;
            return next(context);
        }), optionsName: null);
    }

    private const string ClassicTextFormat = "text/plain; version=0.0.4";
}
