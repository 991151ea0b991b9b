using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Onnx.Proto;
using OpenCvSharp;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// A backbone at a smaller square input than it was trained at (<c>--imgsz</c>), for data far smaller than 224 px
/// (Fashion-MNIST is 28 px) and CPUs that cannot afford 224. Exactly two things change: the final fixed-window
/// AveragePool (7×7 on the 7×7 map of a 224 px input) becomes a GlobalAveragePool — the same average over the
/// smaller map; at the native size they are identical — and a per-pixel mean image is resized to the new input
/// (area interpolation, so its channel averages are kept). The sizes must be multiples of 32: the stride-2
/// convolutions of the CNTK graph pad [1,1,0,0], which matches the 1×1 stride-2 shortcut only on even maps.
/// The convolution weights are untouched; features at a lower size are simply features of a smaller image.
/// </summary>
public static class BackboneResize
{
    public static PretrainedBackbone To(PretrainedBackbone backbone, int size)
    {
        if (size == backbone.InputHeight && size == backbone.InputWidth) return backbone;
        if (size < 32 || size % 32 != 0) throw new ArgumentException($"--imgsz {size}: a ResNet backbone needs a multiple of 32 (32, 64, …, {backbone.InputHeight})");
        if (size > backbone.InputHeight || size > backbone.InputWidth)
            throw new ArgumentException($"--imgsz {size}: larger than the backbone's {backbone.InputHeight}×{backbone.InputWidth} (its mean image cannot be extended)");
        var model = backbone.Graph.Clone();
        var graph = model.Graph;
        var input = graph.Input.Single(i => i.Name == backbone.InputName);
        var dims = input.Type.TensorType.Shape.Dim;
        dims[2] = new TensorShapeProto.Types.Dimension { DimValue = size };
        dims[3] = new TensorShapeProto.Types.Dimension { DimValue = size };
        ReplaceFixedFinalPool(graph, backbone);
        var pre = backbone.Preprocessing;
        if (pre.HasMeanImage) pre = pre with { Mean = ResizeMeanImage(pre.Mean, backbone.InputHeight, backbone.InputWidth, size) };
        return backbone with { Graph = model, InputHeight = size, InputWidth = size, Preprocessing = pre };
    }

    private static void ReplaceFixedFinalPool(GraphProto graph, PretrainedBackbone backbone)
    {
        long finalMap = backbone.InputHeight / 32;
        foreach (var node in graph.Node.Where(n => n.OpType == "AveragePool"))
        {
            long[] kernel = OnnxNodeAttributes.Ints(node, "kernel_shape", []);
            long[] pads = OnnxNodeAttributes.Ints(node, "pads", [0, 0, 0, 0]);
            if (kernel.Length == 2 && kernel.All(k => k == finalMap) && pads.All(p => p == 0) && backbone.InputHeight == backbone.InputWidth)
            {
                node.OpType = "GlobalAveragePool";
                node.Attribute.Clear();
                continue;
            }
            throw new ArgumentException($"--imgsz: AveragePool '{node.Name}' (kernel {string.Join("×", kernel)}) is not the final {finalMap}×{finalMap} pool over the whole map; the backbone runs at {backbone.InputHeight} px only");
        }
    }

    private static float[] ResizeMeanImage(float[] mean, int height, int width, int size)
    {
        var result = new float[3 * size * size];
        for (int c = 0; c < 3; c++)
        {
            using var plane = Mat.FromPixelData(height, width, MatType.CV_32FC1, mean[(c * height * width)..((c + 1) * height * width)]);
            using var resized = new Mat();
            Cv2.Resize(plane, resized, new Size(size, size), interpolation: InterpolationFlags.Area);
            System.Runtime.InteropServices.Marshal.Copy(resized.Data, result, c * size * size, size * size);
        }
        return result;
    }
}
