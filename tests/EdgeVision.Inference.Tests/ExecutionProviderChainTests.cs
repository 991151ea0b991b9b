using Microsoft.Extensions.Options;

namespace EdgeVision.Inference.Tests;

public sealed class ExecutionProviderChainTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_default_chain_falls_through_TensorRT_and_CUDA_to_CPU_on_a_CPU_build_recording_why()
    {
        var options = new InferenceOptions { IntraOpThreads = 1 };
        Assert.Equal(["TensorRT", "CUDA", "CPU"], options.Providers);
        using var c = Classifier.Load(new TinyContractModel().Save(_dir.Path), options);

        Assert.Equal("CPU", c.Provider);
        Assert.Equal(["TensorRT", "CUDA", "CPU"], c.ProviderAttempts.Select(a => a.Provider));
        Assert.Equal([false, false, true], c.ProviderAttempts.Select(a => a.Succeeded));
        Assert.All(c.ProviderAttempts.Take(2), a => Assert.False(string.IsNullOrWhiteSpace(a.Reason)));
        Assert.Null(c.ProviderAttempts[2].Reason);
    }

    [Fact]
    public void Provider_names_match_case_insensitively_and_CPU_ends_any_chain()
    {
        using var c = Classifier.Load(new TinyContractModel().Save(_dir.Path), new InferenceOptions { Providers = ["cuda"], IntraOpThreads = 1 });
        Assert.Equal("CPU", c.Provider);
        Assert.Equal(["CUDA", "CPU"], c.ProviderAttempts.Select(a => a.Provider));
    }

    [Fact]
    public void An_unknown_provider_name_is_an_options_error_naming_the_key_and_the_name()
    {
        var options = new InferenceOptions { Providers = ["TensorRT", "OpenVINO"] };
        var e = Assert.Throws<OptionsValidationException>(options.ValidateOrThrow);
        Assert.Contains("Inference:Providers:1", e.Message);
        Assert.Contains("'OpenVINO'", e.Message);
    }

    [Fact]
    public void A_provider_listed_twice_and_an_empty_chain_are_options_errors()
    {
        Assert.Contains("listed twice", Assert.Throws<OptionsValidationException>(
            new InferenceOptions { Providers = ["CPU", "cpu"] }.ValidateOrThrow).Message);
        Assert.Contains("Providers is empty", Assert.Throws<OptionsValidationException>(
            new InferenceOptions { Providers = [] }.ValidateOrThrow).Message);
    }

    [Fact]
    public void A_chain_appended_to_the_default_by_the_configuration_binder_means_the_configured_part()
    {
        // What binding "Inference:Providers:0 = CPU" onto the initialised default array produces.
        var options = new InferenceOptions { Providers = ["TensorRT", "CUDA", "CPU", "CPU"] };
        options.ValidateOrThrow();
        Assert.Equal(["CPU"], options.EffectiveProviders);
        Assert.Equal(["TensorRT", "CUDA", "CPU"], new InferenceOptions().EffectiveProviders);
    }

    [Theory]
    [InlineData(0, "MaxBatch")]
    [InlineData(65, "MaxBatch")]
    public void Out_of_range_batch_sizes_are_options_errors(int maxBatch, string key) =>
        Assert.Contains("Inference:" + key, Assert.Throws<OptionsValidationException>(
            new InferenceOptions { MaxBatch = maxBatch }.ValidateOrThrow).Message);

    [Fact]
    public void A_native_library_path_that_does_not_exist_is_an_options_error() =>
        Assert.Contains("Inference:NativeLibraryPath", Assert.Throws<OptionsValidationException>(
            new InferenceOptions { NativeLibraryPath = "/nonexistent/libonnxruntime.so" }.ValidateOrThrow).Message);

    [Fact]
    public void TensorRT_settings_pass_precision_device_and_the_keyed_cache_location_through()
    {
        var cache = new TensorRtEngineCache.Location("/var/cache/edgevision/trt/engines/0123", "/var/cache/edgevision/trt/timing", "0123");
        var s = SessionFactory.TensorRtSettings(new InferenceOptions
        {
            DeviceId = 1, TensorRtFp16 = true, TensorRtInt8 = false, TensorRtEngineCachePath = "/var/cache/edgevision/trt",
        }, cache);
        Assert.Equal("1", s["device_id"]);
        Assert.Equal("1", s["trt_fp16_enable"]);
        Assert.Equal("0", s["trt_int8_enable"]);
        Assert.Equal("1", s["trt_engine_cache_enable"]);
        Assert.Equal("/var/cache/edgevision/trt/engines/0123", s["trt_engine_cache_path"]);
        Assert.Equal("/var/cache/edgevision/trt/timing", s["trt_timing_cache_path"]);
        Assert.False(SessionFactory.TensorRtSettings(new InferenceOptions(), null).ContainsKey("trt_engine_cache_enable"));
        // An in-memory model: the shared timing cache, no engine cache.
        var timingOnly = SessionFactory.TensorRtSettings(new InferenceOptions(), cache with { EngineDirectory = null, Key = null });
        Assert.False(timingOnly.ContainsKey("trt_engine_cache_enable"));
        Assert.Equal("1", timingOnly["trt_timing_cache_enable"]);
    }

    [Fact]
    public void CUDA_settings_pass_device_and_memory_limit_through()
    {
        var s = SessionFactory.CudaSettings(new InferenceOptions { DeviceId = 2, CudaMemoryLimitBytes = 1 << 30 });
        Assert.Equal("2", s["device_id"]);
        Assert.Equal((1 << 30).ToString(), s["gpu_mem_limit"]);
    }
}
