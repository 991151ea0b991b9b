using EdgeVision.Daemon.Options;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Models;

/// <summary>
/// Hot reload: when the serving model's file is rewritten (in place or by rename over it), reload it once
/// the writes have been quiet for the debounce interval. A half-written or bad file is rejected by
/// <see cref="ModelHost.TryStage"/> and the old model keeps serving.
/// </summary>
public sealed class ModelFileWatcher(ModelHost models, IOptions<ModelOptions> options, ILogger<ModelFileWatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Watch || models.Active is not { } active) return;
        string path = Path.GetFullPath(active.Path);
        string directory = Path.GetDirectoryName(path)!;
        using var watcher = new FileSystemWatcher(directory, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => _changed.Release();
        watcher.Created += (_, _) => _changed.Release();
        watcher.Renamed += (_, e) => { if (string.Equals(e.FullPath, path, StringComparison.Ordinal)) _changed.Release(); };
        watcher.EnableRaisingEvents = true;
        logger.LogInformation("Watching {Model} for changes", path);
        var debounce = TimeSpan.FromMilliseconds(options.Value.WatchDebounceMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            await _changed.WaitAsync(stoppingToken).ConfigureAwait(false);
            // Swallow the burst of events one write produces, then reload once.
            while (await _changed.WaitAsync(debounce, stoppingToken).ConfigureAwait(false)) { }
            // Only reload the file if it is still the serving one (a switch may have moved on).
            if (models.Active is { } now && !string.Equals(Path.GetFullPath(now.Path), path, StringComparison.Ordinal)) continue;
            logger.LogInformation("Model file {Model} changed; reloading", path);
            // A load and warm-up cannot be interrupted, and a big model takes seconds: shutdown does not wait for it
            // (the host's 4 s stop budget went to it, and SIGTERM during a reload took longer than 5 s to exit);
            // ModelHost disposes a model staged after it was disposed.
            await Task.Run(() => models.TryStage(path, out _), CancellationToken.None).WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
