namespace EdgeVision.Training.Transfer;

/// <summary>A mapped node whose tensors came from (and go back to) named ONNX initializers.</summary>
internal interface IOnnxParameterised
{
    /// <summary>(the module's tensor name, the graph initializer it was read from).</summary>
    IReadOnlyList<(string Tensor, string Initializer)> Initializers { get; }
}
