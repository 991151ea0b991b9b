using EdgeVision.Inference;

namespace EdgeVision.Quantization;

/// <summary>
/// Sessions on a GPU execution provider for <c>edgevision precision --provider</c>: the daemon's own
/// <see cref="SessionFactory"/> with the chain [provider], so a variant is measured as the daemon would run it. For
/// TensorRT the variant's precision becomes the builder's (fp16 → trt_fp16_enable; int8 → trt_int8_enable, the QDQ
/// scales in the graph are the quantization, no calibration table). A fall-through to CPU is refused: it would be
/// timed under the wrong name.
/// </summary>
public static class ProviderSessions
{
    public static SessionFactory.Result Create(byte[] model, string provider, string variant)
    {
        if (!ExecutionProviders.TryNormalize(provider, out string canonical))
            throw new ArgumentException($"unknown execution provider '{provider}' (known: {string.Join(", ", ExecutionProviders.All)})", nameof(provider));
        var options = new InferenceOptions
        {
            Providers = [canonical],
            TensorRtFp16 = canonical == ExecutionProviders.TensorRt && variant.StartsWith("fp16", StringComparison.Ordinal),
            TensorRtInt8 = canonical == ExecutionProviders.TensorRt && variant.StartsWith("int8", StringComparison.Ordinal),
        };
        var result = SessionFactory.Create(model, options);
        if (result.Provider == canonical) return result;
        string reason = result.Attempts.FirstOrDefault(a => a.Provider == canonical)?.Reason ?? "not selected";
        result.Dispose();
        throw new InvalidOperationException($"execution provider {canonical} is unavailable for {variant}: {reason}");
    }
}
