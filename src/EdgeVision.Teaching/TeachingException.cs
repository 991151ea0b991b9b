namespace EdgeVision.Teaching;

/// <summary>Input teaching cannot learn from (too few images, one label, no dataset) or a model it could not write; the message says which and what to do.</summary>
public sealed class TeachingException(string message, Exception? inner = null) : Exception(message, inner);
