namespace EdgeVision.Inference.Tests;

public class InferenceOptionsCopyTests
{
    [Fact]
    public void For_batch_keeps_every_other_option_and_leaves_the_original_alone()
    {
        var original = new InferenceOptions
        {
            Providers = ["CUDA", "CPU"], MaxBatch = 8, IntraOpThreads = 2, InterOpThreads = 1, MaxModelBytes = 1234,
            DeviceId = 1, TensorRtFp16 = true, TensorRtInt8 = true, TensorRtEngineCachePath = "/var/cache/trt",
            TensorRtMaxWorkspaceBytes = 99, CudaMemoryLimitBytes = 77, NativeLibraryPath = "/opt/ort/libonnxruntime.so", WarmUp = false,
        };

        var copy = original.ForBatch(3);

        Assert.NotSame(original, copy);
        Assert.Equal(3, copy.MaxBatch);
        Assert.Equal(8, original.MaxBatch);
        foreach (var property in typeof(InferenceOptions).GetProperties().Where(p => p.CanWrite && p.Name != nameof(InferenceOptions.MaxBatch)))
            Assert.Equal(property.GetValue(original), property.GetValue(copy));
        Assert.NotSame(original.Providers, copy.Providers);
    }

    [Fact]
    public void For_batch_resolves_the_binders_appended_provider_chain()
    {
        // The configuration binder appends configured items to the default array: ["TensorRT","CUDA","CPU","CPU"].
        var bound = new InferenceOptions();
        bound.Providers = [.. bound.Providers, "CPU"];

        Assert.Equal(["CPU"], bound.ForBatch(1).Providers);
    }
}
