namespace EdgeVision.Daemon.Http;

/// <summary>
/// <c>POST /api/session</c> (with the bearer token) sets an HttpOnly, SameSite=Strict cookie holding the token,
/// so the viewer's &lt;img&gt; streams and EventSource — which cannot send headers — stop carrying
/// <c>?token=</c> in every URL, where request logs, proxies and browser history can keep it. The cookie is
/// accepted for GET and HEAD only: anything that changes state still needs the Authorization header, so a
/// page on another port of the same host (same site for SameSite) cannot act through the viewer's cookie.
/// </summary>
internal static class SessionCookie
{
    public const string Name = "edgevision_token";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/session", (HttpContext context, AccessToken token) =>
        {
            // TokenGate has already checked the header (or query) token; without auth there is nothing to remember.
            if (token.Required)
            {
                context.Response.Cookies.Append(Name, token.Value, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = context.Request.IsHttps,
                    Path = "/",
                    IsEssential = true,
                });
            }
            return Results.NoContent();
        });

    /// <summary>The cookie's token when <paramref name="request"/> is a read (GET/HEAD); null otherwise.</summary>
    public static string? ReadFrom(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            ? request.Cookies.TryGetValue(Name, out var value) ? value : null
            : null;
}
