using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Control;
using OpenCvSharp;

namespace EdgeVision.Daemon.Tests.Http;

/// <summary>
/// A stand-in for the host: two models (one that loads, one that fails), configurable sources, and raw
/// frames taken from the fake producer so captures contain what was published.
/// </summary>
internal sealed class FakeDaemonControl : IDaemonControl
{
    public const string GoodModel = "fashion-resnet8.onnx";
    public const string OtherModel = "fashion-resnet14-int8.onnx";
    public const string BrokenModel = "truncated.onnx";

    private readonly object _gate = new();
    private readonly Dictionary<string, bool> _hud = [];
    private string _active = GoodModel;

    public FakeDaemonControl(params string[] sources) => SourceNames = sources;

    public IReadOnlyList<string> SourceNames { get; }

    public IReadOnlyList<string> Labels { get; } = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public FakeFrameProducer? Producer { get; set; }

    public bool FramesFlowing { get; set; } = true;

    /// <summary>Capture state per source as the status reports it (SourceState names); Live unless set.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> SourceStates { get; } = new();

    public string ActiveModel { get { lock (_gate) return _active; } }

    public int SwitchCalls { get; private set; }

    public IReadOnlyDictionary<string, bool> Hud { get { lock (_gate) return new Dictionary<string, bool>(_hud); } }

    public DaemonStatus GetStatus() => new(
        [.. SourceNames.Select(s => new SourceStatus(s, SourceStates.GetValueOrDefault(s, "Live"), 25, Producer?.Published ?? 0, 0))],
        new ModelStatus(ActiveModel, "resnet8", ActiveModel.Contains("int8") ? "int8" : "fp32", "CPU", "/models/" + ActiveModel, Labels.Count),
        TimeSpan.FromSeconds(42),
        FramesFlowing,
        Producer?.Published ?? 0);

    public IReadOnlyList<ModelInfo> ListModels() =>
    [
        new(GoodModel, "resnet8", "fp32", 0.912, 312_000, ActiveModel == GoodModel, null),
        new(OtherModel, "resnet14", "int8", 0.925, 128_000, ActiveModel == OtherModel, null),
        new(BrokenModel, null, null, null, 1_024, false, null),
    ];

    public async Task<ModelSwitchResult> SwitchModelAsync(string name, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            SwitchCalls++;
            if (name == BrokenModel) return ModelSwitchResult.Failed(name, "protobuf parsing failed: the file ends inside a tensor");
            _active = name;
            return ModelSwitchResult.Ok(name);
        }
    }

    public Task<ModelSwitchResult> SwitchToNextModelAsync(CancellationToken cancellationToken)
    {
        var usable = ListModels().Where(m => m.Error is null).ToList();
        int current = usable.FindIndex(m => m.Active);
        return SwitchModelAsync(usable[(current + 1) % usable.Count].Name, cancellationToken);
    }

    public bool TryGetRawFrame(string source, Mat destination) =>
        SourceNames.Contains(source) && Producer is not null && Producer.CopyRaw(destination);

    public IReadOnlyList<KeyValuePair<string, bool>> GetHud()
    {
        lock (_gate)
            return [.. EdgeVision.Daemon.Options.HudElementNames.All.Select(n => new KeyValuePair<string, bool>(n, _hud.GetValueOrDefault(n, true)))];
    }

    public void SetHudElement(string element, bool visible)
    {
        if (!EdgeVision.Daemon.Options.HudElementNames.All.Contains(element))
            throw new ArgumentException($"unknown HUD element '{element}'", nameof(element));
        lock (_gate) _hud[element] = visible;
    }
}
