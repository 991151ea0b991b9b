namespace EdgeVision.Overlay;

/// <summary>Each thing the HUD can draw; every one can be toggled on its own.</summary>
public enum HudElement
{
    /// <summary>The region the model sees.</summary>
    Reticle,

    /// <summary>Top-k labels with confidence bars.</summary>
    TopK,

    SourceName,

    /// <summary>Frames per second of the source.</summary>
    Fps,

    /// <summary>Frames dropped by the source's latest-frame slot.</summary>
    Dropped,

    /// <summary>Live top-1 accuracy against the source's ground truth (the demo source has it).</summary>
    Accuracy,

    /// <summary>Model name and precision.</summary>
    Model,

    /// <summary>Execution provider: CPU, CUDA or TensorRT.</summary>
    Provider,

    /// <summary>Inference time of the batch that held this frame.</summary>
    InferenceTime,

    /// <summary>Capture to annotated-frame latency.</summary>
    Latency,

    /// <summary>Graph of recent frame times.</summary>
    FrameGraph,
}
