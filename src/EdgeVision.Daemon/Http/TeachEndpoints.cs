using EdgeVision.Daemon.Teaching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// Teaching on the device: POST /api/teach starts a job (202 + its id; 409 while one runs), GET /api/teach/{id}
/// follows it, DELETE /api/teach/{id} cancels it; GET /api/teach is the latest job and what it would learn from.
/// Progress also goes out as <c>teach</c> events on /api/events. Writes need the token like every other write.
/// The job service is named [FromServices] so that a host without it (the HTTP tests' fake daemon) fails only these
/// endpoints instead of the inference of every endpoint's parameters.
/// </summary>
internal static class TeachEndpoints
{
    public const int MaxLabels = 256;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/teach", StartAsync);
        app.MapGet("/api/teach", ([FromServices] TeachJobs jobs) => Results.Json(new { latest = jobs.Latest, datasetRoot = jobs.DatasetRoot, directory = jobs.Directory }));
        app.MapGet("/api/teach/{id}", (string id, [FromServices] TeachJobs jobs) =>
            jobs.Get(id) is { } job ? Results.Json(job) : HttpErrors.Result(StatusCodes.Status404NotFound, $"no teach job '{id}'"));
        app.MapDelete("/api/teach/{id}", (string id, [FromServices] TeachJobs jobs) =>
        {
            if (jobs.Get(id) is not { } job) return HttpErrors.Result(StatusCodes.Status404NotFound, $"no teach job '{id}'");
            if (job.Finished || !jobs.Cancel(id)) return HttpErrors.Result(StatusCodes.Status409Conflict, $"teach job '{id}' has already {job.State}");
            return Results.Json(jobs.Get(id), statusCode: StatusCodes.Status202Accepted);
        });
    }

    private static async Task<IResult> StartAsync(HttpRequest request, [FromServices] TeachJobs jobs, IOptions<HttpOptions> options, CancellationToken ct)
    {
        // No body (or {}) teaches every captured label under a fresh name.
        var body = new TeachRequestBody(null, null);
        bool hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (hasBody)
        {
            var (parsed, error) = await JsonBody.ReadAsync<TeachRequestBody>(request, options.Value.MaxRequestBodyBytes, ct);
            if (error is not null) return error;
            body = parsed!;
        }
        if (body.Labels is { Count: > MaxLabels }) return HttpErrors.Result(StatusCodes.Status400BadRequest, $"at most {MaxLabels} labels");
        if (body.Labels?.Any(string.IsNullOrWhiteSpace) == true) return HttpErrors.Result(StatusCodes.Status400BadRequest, "'labels' holds an empty label");
        var (job, status, problem) = jobs.Start(body.Labels, string.IsNullOrWhiteSpace(body.Name) ? null : body.Name);
        if (job is null) return HttpErrors.Result(status, problem!);
        request.HttpContext.Response.Headers.Location = $"/api/teach/{job.Id}";
        return Results.Json(job, statusCode: StatusCodes.Status202Accepted);
    }

    private sealed record TeachRequestBody(IReadOnlyList<string>? Labels, string? Name);
}
