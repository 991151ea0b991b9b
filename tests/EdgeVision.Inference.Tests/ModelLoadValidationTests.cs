using EdgeVision.Core.Model;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace EdgeVision.Inference.Tests;

// Counts of live native objects are process-wide; tests that read them must not run beside others.
[Collection(NativeObjectCounting.Name)]
public sealed class ModelLoadValidationTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly InferenceOptions Options = new() { Providers = ["CPU"], IntraOpThreads = 1, MaxBatch = 4 };

    public void Dispose() => _dir.Dispose();

    private ModelLoadException LoadFails(string path, InferenceOptions? options = null)
    {
        int live = LiveNativeObjects.Count;
        var e = Assert.Throws<ModelLoadException>(() => Classifier.Load(path, options ?? Options).Dispose());
        Assert.Equal(path, e.ModelPath);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Equal(live, LiveNativeObjects.Count);
        return e;
    }

    private string Save(TinyContractModel m) => m.Save(_dir.Path, Guid.NewGuid().ToString("N") + ".onnx");

    [Fact]
    public void A_valid_tiny_model_loads_with_its_shape_and_labels()
    {
        using var c = Classifier.Load(Save(new TinyContractModel()), Options);
        Assert.Equal((16, 20, 6, 4), (c.InputHeight, c.InputWidth, c.ClassCount, c.MaxBatch));
        Assert.Equal("class 5", c.Labels[5]);
        Assert.Equal("tiny", c.Metadata.Architecture);
    }

    [Fact]
    public void A_missing_file_is_reported_as_not_found() =>
        Assert.Contains("not found", LoadFails(_dir.File("nope.onnx")).Reason);

    [Fact]
    public void A_directory_is_not_a_model() =>
        Assert.Contains("directory", LoadFails(_dir.Path).Reason);

    [Fact]
    public void An_empty_file_is_reported_as_empty()
    {
        string path = _dir.File("empty.onnx");
        File.WriteAllBytes(path, []);
        Assert.Contains("empty", LoadFails(path).Reason);
    }

    [Fact]
    public void A_file_over_the_size_cap_is_refused_before_parsing()
    {
        string path = Save(new TinyContractModel());
        var e = LoadFails(path, new InferenceOptions { Providers = ["CPU"], MaxModelBytes = 100 });
        Assert.Contains("larger than the 100-byte limit", e.Reason);
        Assert.Contains("MaxModelBytes", e.Reason);
    }

    [Fact]
    public void Garbage_bytes_are_not_an_onnx_model()
    {
        string path = _dir.File("garbage.onnx");
        File.WriteAllBytes(path, Enumerable.Repeat((byte)0xFF, 64).ToArray());
        Assert.Contains("not an ONNX model", LoadFails(path).Reason);
    }

    [Fact]
    public void A_protobuf_without_a_graph_is_refused()
    {
        string path = _dir.File("nograph.onnx");
        File.WriteAllBytes(path, new ModelProto { IrVersion = 8, ProducerName = "x" }.ToByteArray());
        Assert.Contains("no graph", LoadFails(path).Reason);
    }

    [Fact]
    public void A_wrongly_named_input_is_refused_with_both_names()
    {
        var e = LoadFails(Save(new TinyContractModel { InputName = "input" }));
        Assert.Contains("'input'", e.Reason);
        Assert.Contains("'images'", e.Reason);
    }

    [Fact]
    public void A_float_input_is_refused_as_not_uint8()
    {
        var e = LoadFails(Save(new TinyContractModel { InputType = TensorProto.Types.DataType.Float }));
        Assert.Contains("is float", e.Reason);
        Assert.Contains("uint8", e.Reason);
    }

    [Theory]
    [InlineData(new object[] { "N", 16, 20 }, "rank 3")]
    [InlineData(new object[] { "N", 3, 16, 20 }, "last dimension must be 3")]
    [InlineData(new object[] { "N", "H", 20, 3 }, "symbolic height")]
    [InlineData(new object[] { 2, 16, 20, 3 }, "fixed at 2")]
    public void A_wrong_input_shape_is_refused(object[] shape, string reason) =>
        Assert.Contains(reason, LoadFails(Save(new TinyContractModel { DeclaredInputShape = shape })).Reason);

    [Fact]
    public void A_missing_probabilities_output_is_refused()
    {
        var e = LoadFails(Save(new TinyContractModel { OutputName = "output" }));
        Assert.Contains("no output 'probabilities'", e.Reason);
        Assert.Contains("'output'", e.Reason);
    }

    [Fact]
    public void An_output_of_the_wrong_rank_is_refused() =>
        Assert.Contains("rank 3", LoadFails(Save(new TinyContractModel { DeclaredOutputShape = ["N", 6, 1] })).Reason);

    [Fact]
    public void A_label_count_that_differs_from_the_class_count_is_refused() =>
        Assert.Contains("5 labels, the model outputs 6 classes", LoadFails(Save(new TinyContractModel { LabelCount = 5 })).Reason);

    [Fact]
    public void Missing_metadata_is_refused_naming_the_key() =>
        Assert.Contains(MetadataKeys.Labels, LoadFails(Save(new TinyContractModel { EditMetadata = p => p.Remove(MetadataKeys.Labels) })).Reason);

    [Fact]
    public void Unparsable_metadata_is_refused_naming_the_key()
    {
        var e = LoadFails(Save(new TinyContractModel { EditMetadata = p => p[MetadataKeys.InputWidth] = "twenty" }));
        Assert.Contains(MetadataKeys.InputWidth, e.Reason);
        Assert.Contains("twenty", e.Reason);
    }

    [Fact]
    public void Metadata_input_size_that_disagrees_with_the_graph_is_refused() =>
        Assert.Contains("the graph's input is 20×16",
            LoadFails(Save(new TinyContractModel { EditMetadata = p => p[MetadataKeys.InputWidth] = "32" })).Reason);

    [Fact]
    public void A_graph_onnx_runtime_cannot_run_is_refused_after_session_creation_without_leaking()
    {
        // Declares 6 classes but computes 3: only ONNX Runtime notices, at the warm-up run, after the
        // session, buffer and bindings exist; all of them must be released.
        var e = LoadFails(Save(new TinyContractModel { ActualClasses = 3 }));
        Assert.Contains("ONNX Runtime", e.Reason);
    }

    [Fact]
    public void An_unknown_operator_is_refused_with_onnx_runtimes_reason()
    {
        var model = new TinyContractModel().Build();
        model.Graph.Node[4].OpType = "NoSuchRelu";
        string path = _dir.File("unknown-op.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        Assert.Contains("NoSuchRelu", LoadFails(path).Reason);
    }

    [Fact]
    public void A_fixed_batch_of_one_loads_with_batching_off()
    {
        using var c = Classifier.Load(Save(new TinyContractModel { DeclaredInputShape = [1, 16, 20, 3] }), Options);
        Assert.Equal(1, c.MaxBatch);
    }

    [Fact]
    public void Disposing_a_classifier_releases_its_session_buffer_and_bindings()
    {
        int live = LiveNativeObjects.Count;
        var c = Classifier.Load(Save(new TinyContractModel()), Options);
        Assert.Equal(live + 3, LiveNativeObjects.Count);
        c.Dispose();
        Assert.Equal(live, LiveNativeObjects.Count);
    }

    [Fact]
    public void Invalid_options_fail_before_the_file_is_touched()
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            Classifier.Load(_dir.File("nope.onnx"), new InferenceOptions { MaxBatch = 0 }));
        Assert.Contains("Inference:MaxBatch", e.Message);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeObjectCounting
{
    public const string Name = "native object counting";
}
