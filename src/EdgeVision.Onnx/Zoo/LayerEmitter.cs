using EdgeVision.Core.Architecture;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.ResNet;

namespace EdgeVision.Onnx.Zoo;

/// <summary>
/// The layers every family's emitter writes, in one of two forms: folded (a BN right after a conv merged into it,
/// any other BN as Mul+Add; the deployable graph) or reference (BatchNormalization ops exactly as trained; the
/// ground truth the folded graph is tested against). The stem convolution also takes the fused preprocessing.
/// </summary>
internal sealed class LayerEmitter
{
    private readonly IWeightSource _weights;
    private readonly FusedPreprocessing? _preprocessing;

    public LayerEmitter(GraphBuilder graph, IWeightSource weights, bool foldNorms, FusedPreprocessing? preprocessing)
    {
        Graph = graph;
        _weights = weights;
        FoldsNorms = foldNorms;
        _preprocessing = preprocessing;
    }

    public GraphBuilder Graph { get; }

    /// <summary>True for the deployable graph; false for the reference, which keeps every op as trained.</summary>
    public bool FoldsNorms { get; }

    /// <summary>A convolution and the BN that follows it (folded, or as a BatchNormalization op in the reference).</summary>
    public string Conv(string x, ConvPlan conv, BatchNormPlan? norm, bool isStem = false)
    {
        double[] weight = WeightReader.ConvWeight(_weights, conv);
        double[]? bias = conv.Bias ? Array.ConvertAll(WeightReader.Vector(_weights, conv.BiasName, conv.Out), v => (double)v) : null;
        if (norm is not null && FoldsNorms)
        {
            if (bias is not null) throw new ArgumentException($"{conv.Name}: a convolution with a bias followed by a BatchNorm is not in any plan");
            bias = BatchNormFolding.FoldIntoConv(weight, conv.Out, _weights, norm);
        }
        int inPerGroup = conv.In / conv.Groups;
        if (isStem && _preprocessing is not null)
        {
            weight = _preprocessing.FoldIntoStem(weight, conv.Out, conv.In, conv.Kernel);
            inPerGroup = weight.Length / (conv.Out * conv.Kernel * conv.Kernel);
        }

        var inputs = new List<string>
        {
            x,
            Graph.AddInitializer(conv.Weight, WeightReader.ToFloats(weight), conv.Out, inPerGroup, conv.Kernel, conv.Kernel),
        };
        if (bias is not null) inputs.Add(Graph.AddInitializer(conv.BiasName, WeightReader.ToFloats(bias), conv.Out));
        string y = Graph.AddNode("Conv", inputs, conv.Name,
            OnnxAttributes.Ints("kernel_shape", conv.Kernel, conv.Kernel),
            OnnxAttributes.Ints("strides", conv.Stride, conv.Stride),
            OnnxAttributes.Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding),
            OnnxAttributes.Int("group", conv.Groups));
        return norm is not null && !FoldsNorms ? BatchNormalization(y, norm) : y;
    }

    /// <summary>A BN with no convolution right before it to fold into (pre-activation bn1, DenseNet norm1 after a Concat, bn_final).</summary>
    public string StandaloneNorm(string x, BatchNormPlan norm)
    {
        if (!FoldsNorms) return BatchNormalization(x, norm);
        var (scale, shift) = BatchNormFolding.Affine(_weights, norm);
        string s = Graph.AddInitializer(norm.Name + ".scale", WeightReader.ToFloats(scale), 1, norm.Channels, 1, 1);
        string t = Graph.AddInitializer(norm.Name + ".shift", WeightReader.ToFloats(shift), 1, norm.Channels, 1, 1);
        string scaled = Graph.AddNode("Mul", [x, s], norm.Name + ".mul");
        return Graph.AddNode("Add", [scaled, t], norm.Name);
    }

    public string Relu(string x, string scope) => Graph.AddNode("Relu", [x], scope + ".relu");

    /// <summary>torchvision's 3×3/2 max pool (padding 1) after an ImageNet stem.</summary>
    public string StemMaxPool(string x, string name) => Graph.AddNode("MaxPool", [x], name,
        OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("strides", 2, 2), OnnxAttributes.Ints("pads", 1, 1, 1, 1));

    /// <summary>A linear layer applied as a 1×1 convolution to a pooled [N, C, 1, 1] value.</summary>
    public string PointwiseLinear(string x, LinearPlan fc)
    {
        string w = Graph.AddInitializer(fc.Weight, WeightReader.Tensor(_weights, fc.Weight, fc.Out, fc.In).Data, fc.Out, fc.In, 1, 1);
        string b = Graph.AddInitializer(fc.Bias, WeightReader.Vector(_weights, fc.Bias, fc.Out), fc.Out);
        return Graph.AddNode("Conv", [x, w, b], fc.Name, OnnxAttributes.Ints("kernel_shape", 1, 1));
    }

    /// <summary>Squeeze-and-excitation: x · sigmoid(fc2(relu(fc1(mean(x))))), the two layers given as emitters of [N, C, 1, 1] values.</summary>
    public string SqueezeExcite(string x, string name, string fc1Name, Func<string, string> fc1, Func<string, string> fc2)
    {
        string squeezed = Graph.AddNode("GlobalAveragePool", [x], name + ".pool");
        string hidden = Relu(fc1(squeezed), fc1Name);
        string gate = Graph.AddNode("Sigmoid", [fc2(hidden)], name + ".gate");
        return Graph.AddNode("Mul", [x, gate], name + ".scale");
    }

    /// <summary>Global average, flatten and the classifier; the logits value is named <paramref name="logitsName"/>.</summary>
    public string Classifier(string x, LinearPlan fc, string logitsName)
    {
        string pooled = Graph.AddNode("GlobalAveragePool", [x], "pool");
        string flat = Graph.AddNode("Flatten", [pooled], "features", OnnxAttributes.Int("axis", 1));
        string w = Graph.AddInitializer(fc.Weight, WeightReader.Tensor(_weights, fc.Weight, fc.Out, fc.In).Data, fc.Out, fc.In);
        string b = Graph.AddInitializer(fc.Bias, WeightReader.Vector(_weights, fc.Bias, fc.Out), fc.Out);
        Graph.AddNodeWithOutputs("Gemm", [flat, w, b], [logitsName], OnnxAttributes.Int("transB", 1));
        return logitsName;
    }

    private string BatchNormalization(string x, BatchNormPlan norm)
    {
        string[] inputs =
        [
            x,
            Graph.AddInitializer(norm.Weight, WeightReader.Vector(_weights, norm.Weight, norm.Channels), norm.Channels),
            Graph.AddInitializer(norm.Bias, WeightReader.Vector(_weights, norm.Bias, norm.Channels), norm.Channels),
            Graph.AddInitializer(norm.RunningMean, WeightReader.Vector(_weights, norm.RunningMean, norm.Channels), norm.Channels),
            Graph.AddInitializer(norm.RunningVar, WeightReader.Vector(_weights, norm.RunningVar, norm.Channels), norm.Channels),
        ];
        return Graph.AddNode("BatchNormalization", inputs, norm.Name, OnnxAttributes.Float("epsilon", BatchNormPlan.Epsilon));
    }
}
