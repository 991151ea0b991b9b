namespace EdgeVision.Inference;

/// <summary>A model could not be loaded; <see cref="ModelPath"/> names the file and the message says why.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string modelPath, string reason, Exception? inner = null)
        : base($"{modelPath}: {reason}", inner)
    {
        ModelPath = modelPath;
        Reason = reason;
    }

    public string ModelPath { get; }

    /// <summary>The message without the path, for logs that carry the path as a separate field.</summary>
    public string Reason { get; }
}
