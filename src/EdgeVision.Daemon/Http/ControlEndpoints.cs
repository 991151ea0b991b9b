using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Streaming;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Http;

/// <summary>Status, the model catalog, switching models and HUD toggles.</summary>
internal static class ControlEndpoints
{
    public const int MaxModelNameLength = 255;
    public const int MaxHudElementLength = 32;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", Status);
        app.MapGet("/api/models", (IDaemonControl control) => Results.Json(control.ListModels()));
        app.MapPost("/api/models/active", SwitchModelAsync);
        app.MapPost("/api/hud", SetHudAsync);
        // Element names and states come from the daemon, so the viewer's toggles can never name an element it lacks.
        app.MapGet("/api/hud", (IDaemonControl control) => Results.Json(control.GetHud().ToDictionary(kv => kv.Key, kv => kv.Value)));
    }

    private static IResult Status(IDaemonControl control, StreamHub hub, StreamSlots slots, AccessToken token) =>
        Results.Json(StatusDocument.Create(control, hub, slots, token));

    private static async Task<IResult> SwitchModelAsync(HttpRequest request, IDaemonControl control, IOptions<HttpOptions> options, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<ModelSwitchRequest>(request, options.Value.MaxRequestBodyBytes, ct);
        if (error is not null) return error;
        string? name = body!.Name;
        if (string.IsNullOrWhiteSpace(name)) return HttpErrors.Result(StatusCodes.Status400BadRequest, "'name' is required: a model file name from GET /api/models");
        if (name.Length > MaxModelNameLength) return HttpErrors.Result(StatusCodes.Status400BadRequest, $"model name is longer than {MaxModelNameLength} characters");
        // A file name, or taught/ + a file name (a model taught on this device): never a path.
        string file = name.StartsWith(Teaching.TeachNames.CatalogPrefix, StringComparison.Ordinal) ? name[Teaching.TeachNames.CatalogPrefix.Length..] : name;
        if (file.IndexOfAny(['/', '\\']) >= 0 || name.Contains("..", StringComparison.Ordinal))
            return HttpErrors.Result(StatusCodes.Status400BadRequest, "model name must be a name from GET /api/models, not a path");

        var models = control.ListModels();
        var model = models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));
        if (model is null)
        {
            // A models directory that went away or became unreadable lists nothing: say so instead of "none".
            string? problem = control.ModelDirectoryProblem();
            return HttpErrors.Result(StatusCodes.Status404NotFound,
                $"unknown model '{name}'; available: {(models.Count == 0 ? "none" : string.Join(", ", models.Select(m => m.Name)))}" +
                (problem is null ? "" : $" ({problem})"));
        }
        if (model.Error is not null) return HttpErrors.Result(StatusCodes.Status422UnprocessableEntity, $"model '{name}' cannot be used: {model.Error}");

        var result = await control.SwitchModelAsync(name, ct);
        return result.Success
            ? Results.Json(new { active = result.Model })
            : HttpErrors.Result(StatusCodes.Status422UnprocessableEntity, $"model '{name}' was not loaded, the previous model keeps serving: {result.Error}");
    }

    private static async Task<IResult> SetHudAsync(HttpRequest request, IDaemonControl control, IOptions<HttpOptions> options, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<HudToggleRequest>(request, options.Value.MaxRequestBodyBytes, ct);
        if (error is not null) return error;
        if (string.IsNullOrWhiteSpace(body!.Element) || body.Element.Length > MaxHudElementLength)
            return HttpErrors.Result(StatusCodes.Status400BadRequest, $"'element' is required and at most {MaxHudElementLength} characters");
        if (body.Visible is not { } visible) return HttpErrors.Result(StatusCodes.Status400BadRequest, "'visible' (true or false) is required");
        try
        {
            control.SetHudElement(body.Element, visible);
        }
        catch (ArgumentException e)
        {
            return HttpErrors.Result(StatusCodes.Status400BadRequest, e.Message);
        }
        return Results.Json(new { element = body.Element, visible });
    }

    private sealed record ModelSwitchRequest(string? Name);

    private sealed record HudToggleRequest(string? Element, bool? Visible);
}
