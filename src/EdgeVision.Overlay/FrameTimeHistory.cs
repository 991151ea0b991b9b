namespace EdgeVision.Overlay;

/// <summary>A fixed ring of recent frame times (ms) for the HUD graph; adding never allocates.</summary>
public sealed class FrameTimeHistory
{
    private readonly float[] _values;
    private int _next;

    public FrameTimeHistory(int capacity = 120)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _values = new float[capacity];
    }

    public int Capacity => _values.Length;

    public int Count { get; private set; }

    public void Add(double milliseconds)
    {
        _values[_next] = (float)Math.Max(0, milliseconds);
        _next = (_next + 1) % _values.Length;
        if (Count < _values.Length) Count++;
    }

    /// <summary>The i-th value, oldest first.</summary>
    public float this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            int start = Count < _values.Length ? 0 : _next;
            return _values[(start + index) % _values.Length];
        }
    }

    public float Max()
    {
        float max = 0;
        for (int i = 0; i < Count; i++) max = Math.Max(max, _values[i]);
        return max;
    }

    public void Clear()
    {
        Count = 0;
        _next = 0;
    }
}
