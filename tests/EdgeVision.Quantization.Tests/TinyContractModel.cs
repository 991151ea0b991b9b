using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Onnx.Proto;
using EdgeVision.Quantization;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Quantization.Tests;

/// <summary>
/// A small fused contract model written directly as protobuf, so these tests depend on no other builder:
/// uint8 BGR → Cast → Sub → Mul → Transpose → Conv-Relu → MaxPool → residual block (Conv-Relu-Conv + Add,
/// Relu) → strided Conv-Relu → AveragePool → Flatten → Gemm → Softmax. Convolutions have random
/// He-normal weights; the classifier is fitted by ridge regression on Fashion-MNIST features,
/// so the model's decisions are real and quantization can visibly change them.
/// </summary>
internal static class TinyContractModel
{
    public const int Size = 28;
    private const int C1 = 16, C2 = 64, Features = C2 * 9, Classes = 10;

    public static ModelProto Create(int seed = 7, bool fitClassifier = true)
    {
        var rng = new Random(seed);
        var g = new GraphProto { Name = "tiny" };
        var input = OnnxTensors.TensorValue(ModelContract.InputName, TensorProto.Types.DataType.Uint8);
        input.Type.TensorType.Shape = Shape(null, Size, Size, 3);
        g.Input.Add(input);

        g.Initializer.Add(OnnxTensors.Float("mean", [0.5f * 255, 0.5f * 255, 0.5f * 255], 3));
        g.Initializer.Add(OnnxTensors.Float("inv_std", [1 / (0.25f * 255), 1 / (0.25f * 255), 1 / (0.25f * 255)], 3));
        Add(g, "Cast", ["images"], ["pixels"], OnnxTensors.IntAttribute("to", 1));
        Add(g, "Sub", ["pixels", "mean"], ["centred"]);
        Add(g, "Mul", ["centred", "inv_std"], ["normalized"]);
        Add(g, "Transpose", ["normalized"], ["nchw"], Ints("perm", 0, 3, 1, 2));

        Conv(g, rng, "stem", "nchw", 3, C1, 1);
        Add(g, "Relu", ["stem"], ["stem_relu"]);
        Add(g, "MaxPool", ["stem_relu"], ["pool"], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
        Conv(g, rng, "block_conv1", "pool", C1, C1, 1);
        Add(g, "Relu", ["block_conv1"], ["block_relu1"]);
        Conv(g, rng, "block_conv2", "block_relu1", C1, C1, 1);
        Add(g, "Add", ["block_conv2", "pool"], ["block_sum"]);
        Add(g, "Relu", ["block_sum"], ["block_out"]);
        Conv(g, rng, "down", "block_out", C1, C2, 2);
        Add(g, "Relu", ["down"], ["down_relu"]);
        Add(g, "AveragePool", ["down_relu"], ["pooled"], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2));
        Add(g, "Flatten", ["pooled"], ["features"]);
        g.Initializer.Add(OnnxTensors.Float("fc.weight", Normal(rng, Classes * Features, MathF.Sqrt(1f / Features)), Classes, Features));
        g.Initializer.Add(OnnxTensors.Float("fc.bias", new float[Classes], Classes));
        Add(g, "Gemm", ["features", "fc.weight", "fc.bias"], [ModelContract.LogitsName], OnnxTensors.IntAttribute("transB", 1));
        Add(g, "Softmax", [ModelContract.LogitsName], [ModelContract.ProbabilitiesName], OnnxTensors.IntAttribute("axis", 1));

        foreach (string name in new[] { ModelContract.ProbabilitiesName, ModelContract.LogitsName })
        {
            var o = OnnxTensors.TensorValue(name, TensorProto.Types.DataType.Float);
            o.Type.TensorType.Shape = Shape(null, Classes);
            g.Output.Add(o);
        }

        var model = new ModelProto { IrVersion = 8, ProducerName = "edgevision-tests", Graph = g };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        var metadata = new EdgeVision.Core.Model.ModelMetadata
        {
            Labels = FashionMnist.Classes,
            Architecture = "tiny-test-cnn",
            InputWidth = Size,
            InputHeight = Size,
            Color = ColorMode.Bgr,
            Mean = [0.5f, 0.5f, 0.5f],
            Std = [0.25f, 0.25f, 0.25f],
            Dataset = "fashion-mnist",
        };
        model = ContractModel.WithMetadata(model, metadata);
        return fitClassifier ? FitClassifier(model) : model;
    }

    /// <summary>Ridge regression of one-hot labels on the pooled features of 2000 training images.</summary>
    private static ModelProto FitClassifier(ModelProto model)
    {
        var observed = model.Clone();
        observed.Graph.Output.Add(OnnxTensors.TensorValue("features", TensorProto.Types.DataType.Float));
        var data = FashionMnist.Split("train");
        const int n = 2000, d = Features + 1;
        var buffer = new byte[n * Size * Size * 3];
        for (int i = 0; i < n; i++)
        {
            using var img = data.Read(i);
            img.GetArray(out byte[] grey);
            for (int p = 0; p < grey.Length; p++)
                for (int c = 0; c < 3; c++) buffer[(i * Size * Size + p) * 3 + c] = grey[p];
        }
        using var session = new InferenceSession(observed.ToByteArray());
        using var input = OrtValue.CreateTensorValueFromMemory(buffer, [n, Size, Size, 3]);
        using var results = session.Run(new RunOptions(), ["images"], [input], ["features"]);
        var f = results[0].GetTensorDataAsSpan<float>();

        // Normal equations [X 1]ᵀ[X 1] W = [X 1]ᵀ Y with a small ridge, solved by Gauss-Jordan elimination.
        var a = new double[d, d + Classes];
        for (int i = 0; i < n; i++)
        {
            int label = data.Label(i);
            for (int r = 0; r < d; r++)
            {
                double xr = r < Features ? f[i * Features + r] : 1;
                for (int c = 0; c < d; c++) a[r, c] += xr * (c < Features ? f[i * Features + c] : 1);
                a[r, d + label] += xr;
            }
        }
        for (int r = 0; r < Features; r++) a[r, r] += 1e-2 * n;
        for (int col = 0; col < d; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < d; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            for (int c = 0; c < d + Classes; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            double diag = a[col, col];
            for (int c = 0; c < d + Classes; c++) a[col, c] /= diag;
            for (int r = 0; r < d; r++)
            {
                if (r == col || a[r, col] == 0) continue;
                double factor = a[r, col];
                for (int c = 0; c < d + Classes; c++) a[r, c] -= factor * a[col, c];
            }
        }
        // Scaled so the softmax is confident where the regression is (one-hot targets give scores near 0..1).
        const float sharpen = 10f;
        var weight = new float[Classes * Features];
        var bias = new float[Classes];
        for (int c = 0; c < Classes; c++)
        {
            for (int k = 0; k < Features; k++) weight[c * Features + k] = sharpen * (float)a[k, d + c];
            bias[c] = sharpen * (float)a[Features, d + c];
        }
        var result = model.Clone();
        var init = result.Graph.Initializer;
        init.Remove(init.First(t => t.Name == "fc.weight"));
        init.Remove(init.First(t => t.Name == "fc.bias"));
        init.Add(OnnxTensors.Float("fc.weight", weight, Classes, Features));
        init.Add(OnnxTensors.Float("fc.bias", bias, Classes));
        return result;
    }

    private static void Conv(GraphProto g, Random rng, string name, string input, int cin, int cout, int stride)
    {
        g.Initializer.Add(OnnxTensors.Float(name + ".weight", Normal(rng, cout * cin * 9, MathF.Sqrt(2f / (cin * 9))), cout, cin, 3, 3));
        g.Initializer.Add(OnnxTensors.Float(name + ".bias", Normal(rng, cout, 0.05f), cout));
        Add(g, "Conv", [input, name + ".weight", name + ".bias"], [name],
            Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1), Ints("strides", stride, stride));
    }

    private static float[] Normal(Random rng, int n, float std)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            v[i] = (float)(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return v;
    }

    private static void Add(GraphProto g, string op, string[] inputs, string[] outputs, params AttributeProto[] attributes) =>
        g.Node.Add(OnnxTensors.Node(op, outputs[0] + "_" + op, inputs, outputs, attributes));

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static TensorShapeProto Shape(params long?[] dims)
    {
        var s = new TensorShapeProto();
        foreach (var d in dims)
            s.Dim.Add(d is { } v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        return s;
    }
}
