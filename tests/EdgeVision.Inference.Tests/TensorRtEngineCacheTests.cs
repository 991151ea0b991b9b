using Google.Protobuf;

namespace EdgeVision.Inference.Tests;

/// <summary>
/// TensorRT engines are keyed by the model file's bytes: a retrained model written over the same path (hot reload,
/// teaching) must never be served by the engine built from the old weights. These run on the CPU build too: the
/// cache location is decided before the TensorRT provider is appended, and it is what the provider is given.
/// </summary>
public sealed class TensorRtEngineCacheTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.File("trt");

    private InferenceOptions Options(bool fp16 = false) => new() { IntraOpThreads = 1, TensorRtEngineCachePath = Root, TensorRtFp16 = fp16 };

    [Fact]
    public void Two_models_with_identical_topology_written_to_the_same_path_get_different_keys()
    {
        byte[] first = new TinyContractModel { Seed = 1 }.Build().ToByteArray();
        byte[] second = new TinyContractModel { Seed = 2 }.Build().ToByteArray();
        Assert.Equal(first.Length, second.Length); // same graph, same shapes: only the weights differ
        string path = _dir.File("model.onnx");

        File.WriteAllBytes(path, first);
        var a = TensorRtEngineCache.Prepare(Root, first, path, Options());
        File.WriteAllBytes(path, second);
        var b = TensorRtEngineCache.Prepare(Root, second, path, Options());

        Assert.NotEqual(a.Key, b.Key);
        Assert.NotEqual(a.EngineDirectory, b.EngineDirectory);
        Assert.Equal(a.TimingDirectory, b.TimingDirectory);
        Assert.False(Directory.Exists(a.EngineDirectory), "the engines of the overwritten model are pruned");
        Assert.True(Directory.Exists(b.EngineDirectory));
    }

    [Fact]
    public void The_key_is_the_same_for_the_same_bytes_and_options_and_changes_with_every_option_that_changes_an_engine()
    {
        string sha = TensorRtEngineCache.ContentHash(new TinyContractModel().Build().ToByteArray());
        var baseline = new InferenceOptions();
        string key = TensorRtEngineCache.Key(sha, baseline);
        Assert.Equal(key, TensorRtEngineCache.Key(sha, new InferenceOptions { MaxBatch = 3, IntraOpThreads = 2 }));
        var variants = new[]
        {
            new InferenceOptions { TensorRtFp16 = true },
            new InferenceOptions { TensorRtInt8 = true },
            new InferenceOptions { DeviceId = 1 },
            new InferenceOptions { TensorRtMaxWorkspaceBytes = 1 << 30 },
        };
        var keys = variants.Select(o => TensorRtEngineCache.Key(sha, o)).Append(key).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Matches("^[0-9a-f]{32}$", key);
    }

    [Fact]
    public void A_reload_after_the_model_changed_never_points_the_session_at_the_old_key()
    {
        string path = _dir.File("model.onnx");
        File.WriteAllBytes(path, new TinyContractModel { Seed = 1 }.Build().ToByteArray());
        using var before = Classifier.Load(path, Options());
        var old = before.TensorRtCache!;
        Assert.Equal(TensorRtEngineCache.Key(TensorRtEngineCache.ContentHash(File.ReadAllBytes(path)), Options()), old.Key);

        // What hot reload and teaching do: a new model written over the same path, loaded again.
        byte[] retrained = new TinyContractModel { Seed = 2 }.Build().ToByteArray();
        File.WriteAllBytes(path, retrained);
        using var after = Classifier.Load(path, Options());
        var now = after.TensorRtCache!;

        Assert.NotEqual(old.Key, now.Key);
        Assert.Equal(TensorRtEngineCache.Key(TensorRtEngineCache.ContentHash(retrained), Options()), now.Key);
        // The settings the TensorRT provider gets for this session name the new directory only.
        var settings = SessionFactory.TensorRtSettings(Options(), now);
        Assert.Equal(now.EngineDirectory, settings["trt_engine_cache_path"]);
        Assert.NotEqual(old.EngineDirectory, settings["trt_engine_cache_path"]);
        Assert.False(Directory.Exists(old.EngineDirectory));
    }

    [Fact]
    public void Engines_of_models_no_longer_present_are_pruned_while_other_models_and_the_timing_cache_stay()
    {
        string a = new TinyContractModel { Seed = 1 }.Save(_dir.Path, "a.onnx");
        string b = new TinyContractModel { Seed = 2 }.Save(_dir.Path, "b.onnx");
        var forA = TensorRtEngineCache.Prepare(Root, File.ReadAllBytes(a), a, Options());
        var forB = TensorRtEngineCache.Prepare(Root, File.ReadAllBytes(b), b, Options());
        var forBfp16 = TensorRtEngineCache.Prepare(Root, File.ReadAllBytes(b), b, Options(fp16: true));
        File.WriteAllText(Path.Combine(forA.TimingDirectory, "TensorrtExecutionProvider_cache_sm87.timing"), "timings");
        Assert.True(Directory.Exists(forA.EngineDirectory));

        File.Delete(a);
        var again = TensorRtEngineCache.Prepare(Root, File.ReadAllBytes(b), b, Options());

        Assert.Equal(forB.Key, again.Key);
        Assert.False(Directory.Exists(forA.EngineDirectory));
        Assert.True(Directory.Exists(forB.EngineDirectory));
        Assert.True(Directory.Exists(forBfp16.EngineDirectory), "the same model under other options is still present");
        Assert.True(File.Exists(Path.Combine(forA.TimingDirectory, "TensorrtExecutionProvider_cache_sm87.timing")));
    }

    [Fact]
    public void A_model_only_touched_keeps_its_engines_and_one_overwritten_behind_our_back_loses_them()
    {
        string a = new TinyContractModel { Seed = 1 }.Save(_dir.Path, "a.onnx");
        string b = new TinyContractModel { Seed = 2 }.Save(_dir.Path, "b.onnx");
        var forA = TensorRtEngineCache.Prepare(Root, File.ReadAllBytes(a), a, Options());
        string engines = Path.GetDirectoryName(forA.EngineDirectory)!;

        File.SetLastWriteTimeUtc(a, DateTime.UtcNow.AddMinutes(5)); // same bytes, new time: hashed, still valid
        Assert.Empty(TensorRtEngineCache.Prune(engines, keep: null));
        Assert.True(Directory.Exists(forA.EngineDirectory));

        File.WriteAllBytes(a, File.ReadAllBytes(b)); // another model at a's path, while b is the one loading
        TensorRtEngineCache.Prepare(Root, File.ReadAllBytes(b), b, Options());
        Assert.False(Directory.Exists(forA.EngineDirectory));
    }

    [Fact]
    public void A_directory_without_a_manifest_is_left_alone()
    {
        string foreign = Path.Combine(Root, TensorRtEngineCache.EnginesDirectoryName, "being-created");
        Directory.CreateDirectory(foreign);
        string b = new TinyContractModel().Save(_dir.Path, "b.onnx");
        TensorRtEngineCache.Prepare(Root, File.ReadAllBytes(b), b, Options());
        Assert.True(Directory.Exists(foreign));
    }

    [Fact]
    public void A_model_that_exists_only_in_memory_gets_the_timing_cache_and_no_engine_cache()
    {
        byte[] bytes = new TinyContractModel().Build().ToByteArray();
        using var c = Classifier.Load(bytes, "variant fp16", Options());
        Assert.Null(c.TensorRtCache!.EngineDirectory);
        Assert.True(Directory.Exists(c.TensorRtCache.TimingDirectory));
        Assert.False(Directory.Exists(Path.Combine(Root, TensorRtEngineCache.EnginesDirectoryName)));
    }

    [Fact]
    public void No_cache_is_prepared_when_none_is_configured_or_TensorRT_is_not_in_the_chain()
    {
        string path = new TinyContractModel().Save(_dir.Path);
        using (var c = Classifier.Load(path, new InferenceOptions { IntraOpThreads = 1 })) Assert.Null(c.TensorRtCache);
        using (var c = Classifier.Load(path, new InferenceOptions { IntraOpThreads = 1, Providers = ["CUDA", "CPU"], TensorRtEngineCachePath = Root }))
            Assert.Null(c.TensorRtCache);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public void An_unusable_cache_root_leaves_the_model_loading_without_a_cache()
    {
        File.WriteAllText(Root, "a file where the cache directory should be");
        using var c = Classifier.Load(new TinyContractModel().Save(_dir.Path), Options());
        Assert.Null(c.TensorRtCache);
        Assert.Equal("CPU", c.Provider);
    }
}
