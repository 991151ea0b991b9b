using System.Runtime.InteropServices;
using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Inference;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace EdgeVision.Quantization;

/// <summary>
/// A pinned uint8 [batch, H, W, 3] buffer filled the way the daemon fills its batch: each image fitted
/// (stretch or centre crop, grey replicated to BGR) by the Inference library's <see cref="FrameFitter"/>
/// straight into its slot.
/// </summary>
internal sealed class BatchFeeder : IDisposable
{
    private readonly byte[] _buffer;
    private readonly Mat[] _slots;
    private readonly FrameFitter _fitter;
    private GCHandle _pin;

    public BatchFeeder(int capacity, int height, int width, ResizePolicy resize)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "batch capacity must be positive");
        Capacity = capacity;
        Height = height;
        Width = width;
        _buffer = new byte[(long)capacity * height * width * 3 is var n && n <= int.MaxValue ? (int)n : throw new ArgumentException("batch buffer too large")];
        _pin = GCHandle.Alloc(_buffer, GCHandleType.Pinned);
        nint basePtr = _pin.AddrOfPinnedObject();
        _slots = new Mat[capacity];
        for (int i = 0; i < capacity; i++)
            _slots[i] = Mat.FromPixelData(height, width, MatType.CV_8UC3, basePtr + i * height * width * 3);
        _fitter = new FrameFitter(resize);
    }

    public int Capacity { get; }
    public int Height { get; }
    public int Width { get; }

    public void Fill(IImageDataset data, ReadOnlySpan<int> indices)
    {
        if (indices.Length > Capacity) throw new ArgumentException($"{indices.Length} images do not fit a batch of {Capacity}");
        for (int i = 0; i < indices.Length; i++)
        {
            using var image = data.Read(indices[i]);
            _fitter.Fit(image, _slots[i]);
        }
    }

    /// <summary>An OrtValue over the first <paramref name="count"/> slots; the caller disposes it, the buffer stays owned here.</summary>
    public OrtValue Tensor(int count) =>
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _buffer.AsMemory(0, count * Height * Width * 3), [count, Height, Width, 3]);

    public Span<byte> Bytes => _buffer;

    public void Dispose()
    {
        foreach (var s in _slots) s.Dispose();
        _fitter.Dispose();
        if (_pin.IsAllocated) _pin.Free();
    }
}
