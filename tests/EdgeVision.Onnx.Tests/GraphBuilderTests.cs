using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Tests.Support;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx.Tests;

public sealed class GraphBuilderTests
{
    [Fact]
    public void Unique_names_get_a_numeric_suffix_on_collision()
    {
        var g = new GraphBuilder("g");
        Assert.Equal("relu", g.UniqueName("relu"));
        Assert.Equal("relu_1", g.UniqueName("relu"));
        Assert.Equal("relu_2", g.UniqueName("relu"));
    }

    [Fact]
    public void Declaring_the_same_input_twice_is_an_error()
    {
        var g = new GraphBuilder("g");
        g.AddInput("x", DataType.Float, 1);
        Assert.Throws<ArgumentException>(() => g.AddInput("x", DataType.Float, 1));
    }

    [Fact]
    public void Initializer_whose_shape_does_not_match_its_values_is_rejected()
    {
        var g = new GraphBuilder("g");
        var e = Assert.Throws<ArgumentException>(() => g.AddInitializer("w", new float[5], 2, 3));
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void Symbolic_and_fixed_dimensions_are_written_as_dim_param_and_dim_value()
    {
        var v = GraphBuilder.ValueInfo("x", DataType.Float, [TensorDim.Symbolic("N"), 3]);
        Assert.Equal("N", v.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(3, v.Type.TensorType.Shape.Dim[1].DimValue);
    }

    [Fact]
    public void Built_graph_runs_in_onnx_runtime_with_a_dynamic_batch()
    {
        // y = relu(x · Wᵀ + b) with x [N, 2]: the builder's output is a valid model ORT executes.
        var g = new GraphBuilder("tiny");
        g.AddInput("x", DataType.Float, "N", 2);
        string w = g.AddInitializer("w", [1f, -1f, 2f, 0.5f], 2, 2);
        string b = g.AddInitializer("b", [0.25f, -10f], 2);
        string gemm = g.AddNode("Gemm", ["x", w, b], "gemm", OnnxAttributes.Int("transB", 1));
        g.AddNodeWithOutputs("Relu", [gemm], ["y"]);
        g.AddOutput("y", DataType.Float, "N", 2);

        using var runner = new OrtRunner(g.ToModel(new Dictionary<string, string> { ["k"] = "v" }));
        float[] y = runner.Run("x", [3f, 1f, -1f, 4f], [2, 2], "y");
        Assert.Equal([2.25f, 0f, 0f, 0f], y);
    }

    [Fact]
    public void Tensor_payloads_round_trip()
    {
        var t = OnnxTensor.FromFloats("t", [1.5f, -2f, 3.25f], 3);
        Assert.Equal([1.5f, -2f, 3.25f], OnnxTensor.ToFloats(t));
        var l = OnnxTensor.FromLongs("l", [long.MaxValue, -1L], 2);
        Assert.Equal([long.MaxValue, -1L], OnnxTensor.ToLongs(l));
    }
}
