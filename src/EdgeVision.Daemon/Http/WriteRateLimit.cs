using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// Limits the requests that change state (every method but GET, HEAD and OPTIONS: capture, model switch, HUD,
/// teach, cancel, session) to a token bucket per client address, <c>Http:WriteRateLimitBurst</c> at once and
/// <c>Http:WriteRateLimitPerSecond</c> after that; beyond it a 429 with <c>Retry-After</c>. Each capture writes a
/// PNG and each model switch loads and warms a session, so a script in a loop could fill the disk or keep the
/// frame loop swapping models; reads (streams, status, metrics) are never limited. ASP.NET Core's own rate
/// limiter (Microsoft.AspNetCore.RateLimiting, in the shared framework: no package) is used because it brings
/// the partitioned token bucket, idle-partition clean-up and the Retry-After metadata that would otherwise be
/// hand-written and hand-tested here.
/// </summary>
internal static class WriteRateLimit
{
    public static IServiceCollection AddWriteRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddSingleton<IConfigureOptions<RateLimiterOptions>, ConfigureLimiter>();
        return services;
    }

    public static bool IsWrite(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    private sealed class ConfigureLimiter(IOptions<HttpOptions> http) : IConfigureOptions<RateLimiterOptions>
    {
        public void Configure(RateLimiterOptions limiter)
        {
            var options = http.Value;
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.WriteRateLimitBurst,
                TokensPerPeriod = options.WriteRateLimitPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0, // a refused write is answered at once, never parked holding a connection
                AutoReplenishment = true,
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsWrite(context.Request.Method)
                    ? RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => bucket)
                    : RateLimitPartition.GetNoLimiter("reads"));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, ct) =>
            {
                // A token bucket refills one token per 1/rate seconds; Retry-After is whole seconds, at least 1.
                int seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
                    : Math.Max(1, (int)Math.Ceiling(1.0 / options.WriteRateLimitPerSecond));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(HttpErrors.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests,
                    $"too many requests that change state: at most {options.WriteRateLimitBurst} at once and " +
                    $"{options.WriteRateLimitPerSecond} per second per client (Http:WriteRateLimitBurst, Http:WriteRateLimitPerSecond); retry after {seconds} s"));
            };
        }
    }
}
