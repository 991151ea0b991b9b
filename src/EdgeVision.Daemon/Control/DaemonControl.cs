using System.Diagnostics;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Options;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace EdgeVision.Daemon.Control;

/// <summary>The host's implementation of <see cref="IDaemonControl"/> over the frame loop, models and sources.</summary>
public sealed class DaemonControl(
    CaptureSources feeds,
    ModelHost models,
    FlowMonitor flow,
    HudToggles hud,
    LatestRawFrames rawFrames,
    IOptions<ModelOptions> modelOptions,
    IOptions<TeachOptions> teachOptions,
    IHostEnvironment environment) : IDaemonControl
{
    private static readonly TimeSpan SwapWait = TimeSpan.FromSeconds(10);
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private readonly ModelCatalog _catalog = new(ModelPaths.Resolve(modelOptions.Value.Directory, environment.ContentRootPath),
        teachOptions.Value.ResolveDirectory(), models.MaxModelBytes);

    public IReadOnlyList<string> SourceNames => feeds.Names;

    public IReadOnlyList<string> Labels => models.Active?.Metadata.Labels ?? [];

    public ModelCatalog Catalog => _catalog;

    public DaemonStatus GetStatus()
    {
        var active = models.Active;
        var model = active is null
            ? new ModelStatus("", "", "", "", "", 0)
            : new ModelStatus(active.Name, active.Metadata.Architecture, active.PrecisionName, active.Provider, active.Path, active.ClassCount);
        var sources = feeds.Runners.Select(r => r.GetStats())
            .Select(s => new SourceStatus(s.Name, s.State.ToString(), Math.Round(s.Fps, 1), s.Captured, s.Dropped)).ToList();
        return new DaemonStatus(sources, model, Stopwatch.GetElapsedTime(_startedAt), flow.FramesFlowing, flow.FramesInferred);
    }

    public IReadOnlyList<ModelInfo> ListModels() => _catalog.List(models.Active);

    public string? ModelDirectoryProblem() => _catalog.DirectoryProblem();

    public async Task<ModelSwitchResult> SwitchModelAsync(string name, CancellationToken cancellationToken)
    {
        if (_catalog.Find(name) is not { } path)
            return ModelSwitchResult.Failed(name, $"no model named '{name}' in {_catalog.Directory} or {_catalog.TaughtDirectory}");
        string? error = await Task.Run(() => models.TryStage(path, out var swapped) ?? Wait(swapped), cancellationToken).ConfigureAwait(false);
        return error is null ? ModelSwitchResult.Ok(name) : ModelSwitchResult.Failed(name, error);

        string? Wait(Task swapped)
        {
            // The loop swaps between ticks; a paused loop swaps on its next tick, so not waiting longer is
            // not a failure: the model is validated and staged.
            try
            {
                swapped.Wait(SwapWait, cancellationToken);
                return null;
            }
            catch (AggregateException) when (swapped.IsCanceled)
            {
                return "superseded by another model switch";
            }
        }
    }

    public Task<ModelSwitchResult> SwitchToNextModelAsync(CancellationToken cancellationToken)
    {
        var list = ListModels().Where(m => m.Error is null).ToList();
        if (list.Count == 0) return Task.FromResult(ModelSwitchResult.Failed("", $"no usable models in {_catalog.Directory}"));
        int current = list.FindIndex(m => m.Active);
        return SwitchModelAsync(list[(current + 1) % list.Count].Name, cancellationToken);
    }

    public bool TryGetRawFrame(string source, Mat destination) => rawFrames.TryCopy(feeds.IndexOf(source), destination);

    public void SetHudElement(string element, bool visible) => hud.Set(element, visible);

    public IReadOnlyList<KeyValuePair<string, bool>> GetHud() =>
        [.. EdgeVision.Daemon.Options.HudElementNames.All.Select(name => new KeyValuePair<string, bool>(name, hud.Get(name)))];
}
