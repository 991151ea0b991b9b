using System.Buffers;
using System.Text.Json;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// Reads a small JSON request body with a hard size limit. Parsing here (not by model binding) keeps every
/// failure — too big, not JSON, wrong shape — a 4xx with the reason instead of a bare 400 or an exception.
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken ct)
        where T : class
    {
        if (request.ContentLength is long declared && declared > maxBytes)
            return (null, TooLarge(request, maxBytes));
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, HttpErrors.Result(StatusCodes.Status415UnsupportedMediaType, $"the body must be application/json, not '{type}'"));

        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes, 4096));
        try
        {
            while (true)
            {
                var span = buffer.GetMemory(1024);
                int read = await request.Body.ReadAsync(span, ct).ConfigureAwait(false);
                if (read == 0) break;
                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes) return (null, TooLarge(request, maxBytes));
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(request, maxBytes));
        }

        if (buffer.WrittenCount == 0) return (null, HttpErrors.Result(StatusCodes.Status400BadRequest, "the request body is empty; a JSON object is expected"));
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.WrittenSpan, Options);
            return value is null
                ? (null, HttpErrors.Result(StatusCodes.Status400BadRequest, "the request body is JSON null; an object is expected"))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, HttpErrors.Result(StatusCodes.Status400BadRequest, $"the request body is not the expected JSON: {e.Message}"));
        }
    }

    private static IResult TooLarge(HttpRequest request, int maxBytes)
    {
        // The rest of the body is never read, so the connection cannot carry another request: say so, or a
        // client that pools connections finds it closed under its next request.
        request.HttpContext.Response.Headers.Connection = "close";
        return HttpErrors.Result(StatusCodes.Status413PayloadTooLarge, $"the request body is larger than {maxBytes} bytes");
    }
}
