namespace EdgeVision.Inference;

/// <summary>The execution-provider names accepted in <see cref="InferenceOptions.Providers"/>.</summary>
public static class ExecutionProviders
{
    public const string TensorRt = "TensorRT";
    public const string Cuda = "CUDA";
    public const string Cpu = "CPU";

    public static IReadOnlyList<string> All { get; } = [TensorRt, Cuda, Cpu];

    /// <summary>Case-insensitive match to the canonical spelling.</summary>
    public static bool TryNormalize(string? name, out string canonical)
    {
        foreach (string known in All)
        {
            if (string.Equals(known, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                canonical = known;
                return true;
            }
        }
        canonical = "";
        return false;
    }
}

/// <summary>One step of the provider chain: whether it was taken and, if not, why.</summary>
public sealed record ProviderAttempt(string Provider, bool Succeeded, string? Reason);
