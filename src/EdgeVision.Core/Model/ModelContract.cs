namespace EdgeVision.Core.Model;

/// <summary>
/// The names every EdgeVision model uses, fixed here so the writer (EdgeVision.Onnx), the loader
/// (EdgeVision.Inference) and the tools agree without side files.
/// </summary>
public static class ModelContract
{
    /// <summary>uint8 [N, H, W, 3], BGR, N dynamic.</summary>
    public const string InputName = "images";

    /// <summary>float32 [N, C], softmax.</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>Optional float32 [N, C] before softmax.</summary>
    public const string LogitsName = "logits";

    /// <summary>The symbolic name of the dynamic batch dimension.</summary>
    public const string BatchDimension = "N";

    /// <summary>Colour channels of the input tensor: the graph always receives OpenCV's BGR.</summary>
    public const int InputChannels = 3;
}

/// <summary>Keys of the ONNX <c>metadata_props</c> a contract model carries.</summary>
public static class MetadataKeys
{
    public const string Labels = "edgevision.labels";           // JSON array of strings
    public const string Architecture = "edgevision.architecture"; // e.g. resnet20
    public const string InputWidth = "edgevision.input_width";
    public const string InputHeight = "edgevision.input_height";
    public const string ColorMode = "edgevision.color";          // rgb | bgr | grey (what the network was trained on)
    public const string Mean = "edgevision.mean";                // comma-separated, [0,1] scale, per network channel
    public const string Std = "edgevision.std";
    public const string Resize = "edgevision.resize";            // stretch | center_crop
    public const string Precision = "edgevision.precision";      // fp32 | fp16 | int8
    public const string Dataset = "edgevision.dataset";
    public const string Top1 = "edgevision.accuracy.top1";       // fraction 0..1, invariant culture
    public const string Top5 = "edgevision.accuracy.top5";
    public const string TrainedAt = "edgevision.trained_at";     // ISO 8601 UTC
    public const string Calibration = "edgevision.calibration";  // int8 only: method and image count
    public const string Pretrained = "edgevision.pretrained";    // the backbone a transfer-learned model started from
    public const string Frozen = "edgevision.frozen";            // what of that backbone stayed frozen (none, stem, layer1…, backbone)
    public const string TaughtFrom = "edgevision.taught_from";   // a model taught on the device: how many captures it learned from
    public const string ContractVersion = "edgevision.contract";  // "1"
}
