using System.Runtime.InteropServices;
using EdgeVision.Core.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace EdgeVision.Inference;

/// <summary>
/// The model input for up to <see cref="Capacity"/> frames: one 64-byte aligned native uint8 NHWC block,
/// allocated once. Each slot is also an OpenCV Mat (frames are resized straight into it) and every batch
/// size 1..Capacity has an OrtValue over the leading slots, so a Run never copies or allocates input.
/// </summary>
public sealed unsafe class BatchBuffer : IDisposable
{
    private const nuint Alignment = 64;
    private readonly byte* _data;
    private readonly Mat[] _slots;
    private readonly OrtValue[] _inputs;
    private readonly FrameFitter _fitter;
    private bool _disposed;

    public BatchBuffer(int capacity, int height, int width, ResizePolicy resize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Capacity = capacity;
        Height = height;
        Width = width;
        SlotBytes = checked(height * width * ModelContract.InputChannels);
        _data = (byte*)NativeMemory.AlignedAlloc((nuint)checked(SlotBytes * (long)capacity), Alignment);
        _slots = new Mat[capacity];
        _inputs = new OrtValue[capacity];
        _fitter = new FrameFitter(resize);
        LiveNativeObjects.Created();
        try
        {
            NativeMemory.Clear(_data, (nuint)(SlotBytes * (long)capacity));
            for (int i = 0; i < capacity; i++)
                _slots[i] = Mat.FromPixelData(height, width, MatType.CV_8UC3, (IntPtr)(_data + (long)i * SlotBytes));
            for (int n = 1; n <= capacity; n++)
            {
                _inputs[n - 1] = OrtValue.CreateTensorValueWithData(
                    OrtMemoryInfo.DefaultInstance, TensorElementType.UInt8,
                    [n, height, width, ModelContract.InputChannels], (IntPtr)_data, (long)SlotBytes * n);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Capacity { get; }
    public int Height { get; }
    public int Width { get; }
    public int SlotBytes { get; }

    /// <summary>The Mat header over slot <paramref name="slot"/>'s memory (owned by this buffer; do not dispose).</summary>
    public Mat Slot(int slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)slot >= (uint)Capacity)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"slot must be in 0..{Capacity - 1}");
        return _slots[slot];
    }

    /// <summary>The raw bytes of one slot (H×W×3, BGR).</summary>
    public Span<byte> SlotBytesOf(int slot)
    {
        Slot(slot);
        return new Span<byte>(_data + (long)slot * SlotBytes, SlotBytes);
    }

    /// <summary>Resizes or crops <paramref name="frame"/> into the slot per the model's resize policy.</summary>
    public void Write(int slot, Mat frame) => _fitter.Fit(frame, Slot(slot));

    /// <summary>The input tensor [count,H,W,3] over slots 0..count-1.</summary>
    public OrtValue Input(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count < 1 || count > Capacity)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"batch size must be in 1..{Capacity}");
        return _inputs[count - 1];
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        LiveNativeObjects.Released();
        // Tensors and Mats only point into the block; release them before the block itself.
        foreach (var v in _inputs) v?.Dispose();
        foreach (var m in _slots) m?.Dispose();
        _fitter.Dispose();
        NativeMemory.AlignedFree(_data);
    }
}
