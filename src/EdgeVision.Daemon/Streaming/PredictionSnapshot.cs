namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// The newest prediction of one source, kept as values rather than JSON: the frame loop overwrites it after
/// every shown frame without allocating, and the JSON is produced only when somebody reads it (an SSE client, a
/// <c>/api/predictions</c> request), then cached until the next inference. At hundreds of inferences per
/// second and no viewer, serializing each one would be the daemon's largest per-frame allocation.
/// </summary>
internal sealed class PredictionSnapshot
{
    private readonly object _gate = new();
    private ScoredLabel[] _topK = [];
    private int _count;
    private PredictionUpdate _update;
    private bool _hasValue;
    private byte[]? _json;

    /// <summary>Copies <paramref name="update"/> (its top-k may live in a buffer the caller reuses).</summary>
    public void Store(in PredictionUpdate update)
    {
        var top = update.TopK.Span;
        lock (_gate)
        {
            if (_topK.Length < top.Length) _topK = new ScoredLabel[top.Length];
            top.CopyTo(_topK);
            _count = top.Length;
            _update = update with { TopK = default };
            _hasValue = true;
            _json = null;
        }
    }

    /// <summary>UTF-8 JSON of the newest prediction (serialized at most once per frame), or null before the first.</summary>
    public byte[]? Json()
    {
        lock (_gate)
        {
            if (!_hasValue) return null;
            return _json ??= PredictionJson.Serialize(_update with { TopK = _topK.AsMemory(0, _count) });
        }
    }
}
