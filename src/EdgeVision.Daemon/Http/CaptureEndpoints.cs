using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Dataset;
using EdgeVision.Daemon.Streaming;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace EdgeVision.Daemon.Http;

/// <summary>Saving the current raw frame of a source with a label, for retraining, and the counts so far.</summary>
internal static class CaptureEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/capture", CaptureAsync);
        app.MapGet("/api/capture/counts", (LabelledFrameWriter writer, IDaemonControl control) =>
            Results.Json(new { root = writer.Root, labels = control.Labels, counts = writer.CountPerLabel() }));
    }

    private static async Task<IResult> CaptureAsync(HttpRequest request, IDaemonControl control, StreamHub hub,
        LabelledFrameWriter writer, IOptions<HttpOptions> options, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<CaptureRequest>(request, options.Value.MaxRequestBodyBytes, ct);
        if (error is not null) return error;
        if (LabelRules.Problem(body!.Label) is { } problem) return HttpErrors.Result(StatusCodes.Status400BadRequest, problem);
        if (string.IsNullOrEmpty(body.Source)) return HttpErrors.Result(StatusCodes.Status400BadRequest, "'source' is required");
        if (StreamEndpoints.UnknownSource(body.Source, control, hub) is { } unknown) return HttpErrors.Result(StatusCodes.Status404NotFound, unknown);

        using var frame = new Mat();
        if (!control.TryGetRawFrame(body.Source, frame) || frame.Empty())
            return HttpErrors.Result(StatusCodes.Status409Conflict, $"source '{body.Source}' has no frame to capture yet");
        try
        {
            var saved = writer.Save(body.Label!, frame);
            return Results.Json(new
            {
                label = saved.Label,
                path = saved.RelativePath,
                width = saved.Width,
                height = saved.Height,
                count = saved.LabelCount,
            }, statusCode: StatusCodes.Status201Created);
        }
        catch (InvalidLabelException e)
        {
            return HttpErrors.Result(StatusCodes.Status400BadRequest, e.Reason);
        }
        catch (IOException e)
        {
            return HttpErrors.Result(StatusCodes.Status507InsufficientStorage, $"the frame could not be written under the dataset root: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return HttpErrors.Result(StatusCodes.Status500InternalServerError, $"the dataset root is not writable: {e.Message}");
        }
    }

    private sealed record CaptureRequest(string? Source, string? Label);
}
