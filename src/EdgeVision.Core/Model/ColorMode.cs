namespace EdgeVision.Core.Model;

/// <summary>The pixel layout the network itself was trained on; the graph converts from BGR.</summary>
public enum ColorMode
{
    Rgb,
    Bgr,
    Grey,
}

/// <summary>How a frame of any size becomes the model's input size.</summary>
public enum ResizePolicy
{
    /// <summary>Scale to the input size, ignoring aspect ratio.</summary>
    Stretch,

    /// <summary>Scale the shorter side to the input size, then take the centre (torchvision eval).</summary>
    CenterCrop,
}

public enum Precision
{
    Fp32,
    Fp16,
    Int8,
}
