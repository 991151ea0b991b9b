using System.Runtime.InteropServices;
using EdgeVision.Core.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeVision.Inference;

/// <summary>
/// One OrtIoBinding per batch size, bound once to the batch buffer's input tensor and a preallocated
/// probabilities block, so running batch n is a single native call with nothing to allocate or copy.
/// </summary>
public sealed unsafe class BatchBinding : IDisposable
{
    private const nuint Alignment = 64;
    private readonly float* _probabilities;
    private readonly OrtValue[] _outputs;
    private readonly OrtIoBinding[] _bindings;
    private bool _disposed;

    public BatchBinding(InferenceSession session, BatchBuffer input, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Capacity = input.Capacity;
        Classes = classes;
        long count = checked((long)Capacity * classes);
        _probabilities = (float*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(float)), Alignment);
        NativeMemory.Clear(_probabilities, (nuint)(count * sizeof(float)));
        _outputs = new OrtValue[Capacity];
        _bindings = new OrtIoBinding[Capacity];
        LiveNativeObjects.Created();
        try
        {
            for (int n = 1; n <= Capacity; n++)
            {
                _outputs[n - 1] = OrtValue.CreateTensorValueWithData(
                    OrtMemoryInfo.DefaultInstance, TensorElementType.Float, [n, classes],
                    (IntPtr)_probabilities, (long)n * classes * sizeof(float));
                var binding = session.CreateIoBinding();
                _bindings[n - 1] = binding;
                binding.BindInput(ModelContract.InputName, input.Input(n));
                binding.BindOutput(ModelContract.ProbabilitiesName, _outputs[n - 1]);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Capacity { get; }
    public int Classes { get; }

    public OrtIoBinding For(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count < 1 || count > Capacity)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"batch size must be in 1..{Capacity}");
        return _bindings[count - 1];
    }

    /// <summary>Probabilities of the first <paramref name="count"/> images, written by the last run of that size.</summary>
    public ReadOnlySpan<float> Probabilities(int count) => new(_probabilities, count * Classes);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        LiveNativeObjects.Released();
        foreach (var b in _bindings) b?.Dispose();
        foreach (var v in _outputs) v?.Dispose();
        NativeMemory.AlignedFree(_probabilities);
    }
}
