namespace EdgeVision.Daemon.Http;

/// <summary>Every refusal has the same JSON shape, <c>{"error": "…"}</c>, with a reason a person can act on.</summary>
public static class HttpErrors
{
    public static IResult Result(int status, string reason) => Results.Json(new ErrorBody(reason), statusCode: status);

    public static Task Write(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorBody(reason));
    }

    public sealed record ErrorBody(string Error);
}
