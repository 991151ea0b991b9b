namespace EdgeVision.Training.Transfer;

/// <summary>An ONNX graph (or a state dict for it) that cannot become TorchSharp modules; the message names the first node or tensor that could not be taken.</summary>
public sealed class OnnxMappingException(string message) : Exception(message);
