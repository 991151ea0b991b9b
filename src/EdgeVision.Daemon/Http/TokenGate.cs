namespace EdgeVision.Daemon.Http;

/// <summary>
/// Demands the bearer token (Authorization header, or <c>?token=</c> for &lt;img&gt; and EventSource, which cannot
/// send headers) on every request except /healthz and the viewer's static shell, which holds no data and is
/// what asks the user for the token.
/// </summary>
public sealed class TokenGate(RequestDelegate next, AccessToken token)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!token.Required || IsPublic(context.Request.Path)) return next(context);
        if (Presented(context.Request) is { } presented && token.Matches(presented)) return next(context);

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"edgevision\"";
        return HttpErrors.Write(context, StatusCodes.Status401Unauthorized,
            "a bearer token is required: send 'Authorization: Bearer <token>' or add ?token=<token>");
    }

    private static bool IsPublic(PathString path) =>
        path == "/healthz" || ViewerAssets.IsAsset(path);

    private static string? Presented(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        return request.Query.TryGetValue("token", out var query) ? query.ToString() : null;
    }
}
