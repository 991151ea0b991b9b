using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// The viewer page's files, embedded in the assembly (Http/Viewer/*) so the daemon is one self-contained
/// binary and the page works offline: no CDN, no files to deploy next to it.
/// </summary>
internal static class ViewerAssets
{
    private const string ResourcePrefix = "EdgeVision.Daemon.Viewer.";

    /// <summary>No script, style, image or connection to any other origin: the page is fully self-hosted.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; connect-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    public static bool IsAsset(PathString path) => path.HasValue && Assets.ContainsKey(path.Value!);

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (path, asset) in Assets)
        {
            app.MapGet(path, (HttpContext context) => Serve(context, asset));
        }
    }

    private static Task Serve(HttpContext context, Asset asset)
    {
        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        // The page's files load once, in parallel; kept alive, each such connection would idle in the browser's pool
        // for minutes beside the two the page really uses (the live WebSocket and one for fetch()).
        response.Headers.Connection = "close";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Bytes.Length;
        return response.Body.WriteAsync(asset.Bytes, context.RequestAborted).AsTask();
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(ViewerAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            string file = resource[ResourcePrefix.Length..];
            byte[] bytes = Read(assembly, resource);
            var asset = new Asset(bytes, ContentTypeOf(file), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
            assets["/" + file] = asset;
            if (file == "index.html") assets["/"] = asset;
        }
        if (!assets.ContainsKey("/"))
            throw new InvalidOperationException($"the viewer's index.html is not embedded in {assembly.GetName().Name} (resource prefix {ResourcePrefix})");
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is listed but cannot be opened");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentTypeOf(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
