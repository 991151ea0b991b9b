namespace EdgeVision.Daemon.Http;

/// <summary>
/// Demands the bearer token on every request except /healthz and the viewer's static shell, which holds no data
/// and is what asks the user for the token. Accepted as the Authorization header, as <c>?token=</c> (clients
/// such as ffprobe or an &lt;img&gt; elsewhere that can send neither header nor cookie) and, for reads, as the
/// viewer's <see cref="SessionCookie"/>.
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
        if (request.Query.TryGetValue("token", out var query)) return query.ToString();
        return SessionCookie.ReadFrom(request);
    }
}
