using EdgeVision.Core.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace EdgeVision.Inference.Tests;

public sealed class ClassifierRunTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly InferenceOptions Options = new() { Providers = ["CPU"], IntraOpThreads = 1, MaxBatch = 5 };

    public void Dispose() => _dir.Dispose();

    private Classifier Load(TinyContractModel? model = null, InferenceOptions? options = null) =>
        Classifier.Load((model ?? new TinyContractModel()).Save(_dir.Path), options ?? Options);

    [Fact]
    public void Every_batch_size_gives_the_same_probabilities_as_each_image_alone()
    {
        using var c = Load();
        var frames = Enumerable.Range(0, c.MaxBatch).Select(i => TestImages.Noise(64 + 7 * i, 48 + 3 * i, 100 + i)).ToArray();
        try
        {
            var single = new float[c.MaxBatch][];
            for (int i = 0; i < c.MaxBatch; i++)
            {
                c.SetFrame(0, frames[i]);
                single[i] = c.Run(1).ToArray();
                Assert.Equal(1f, single[i].Sum(), 1e-5f);
            }
            for (int n = 1; n <= c.MaxBatch; n++)
            {
                for (int i = 0; i < n; i++) c.SetFrame(i, frames[i]);
                var batch = c.Run(n).ToArray();
                Assert.Equal(n * c.ClassCount, batch.Length);
                for (int i = 0; i < n; i++)
                for (int k = 0; k < c.ClassCount; k++)
                    Assert.InRange(Math.Abs(batch[i * c.ClassCount + k] - single[i][k]), 0f, 1e-6f);
            }
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
        }
    }

    [Fact]
    public void The_engine_matches_onnx_runtime_run_directly_on_the_same_model_and_pixels()
    {
        var model = new TinyContractModel();
        string path = model.Save(_dir.Path);
        using var c = Classifier.Load(path, Options);
        using var f0 = TestImages.Noise(300, 200, 1);
        using var f1 = TestImages.Noise(90, 160, 2);
        c.SetFrame(0, f0);
        c.SetFrame(1, f1);
        var engine = c.Run(2).ToArray();

        var pixels = new byte[2 * c.InputHeight * c.InputWidth * 3];
        TestImages.Bytes(c.Slot(0)).CopyTo(pixels, 0);
        TestImages.Bytes(c.Slot(1)).CopyTo(pixels, pixels.Length / 2);
        using var session = new InferenceSession(path);
        var input = new DenseTensor<byte>(pixels, [2, c.InputHeight, c.InputWidth, 3]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(ModelContract.InputName, input)]);
        var direct = results.Single(r => r.Name == ModelContract.ProbabilitiesName).AsEnumerable<float>().ToArray();

        Assert.Equal(direct.Length, engine.Length);
        for (int i = 0; i < direct.Length; i++) Assert.InRange(Math.Abs(direct[i] - engine[i]), 0f, 1e-6f);
        // The slots hold what OpenCV's resize of the frame gives.
        using var expected = new Mat();
        Cv2.Resize(f0, expected, new Size(c.InputWidth, c.InputHeight), 0, 0, InterpolationFlags.Linear);
        Assert.Equal(TestImages.Bytes(expected), TestImages.Bytes(c.Slot(0)));
    }

    [Fact]
    public void Centre_crop_and_stretch_models_classify_the_same_frame_differently()
    {
        using var crop = Load(new TinyContractModel { Resize = ResizePolicy.CenterCrop });
        using var stretch = Load(new TinyContractModel { Resize = ResizePolicy.Stretch });
        using var frame = TestImages.Bands(1280, 720);
        crop.SetFrame(0, frame);
        stretch.SetFrame(0, frame);
        var a = crop.Run(1).ToArray();
        var b = stretch.Run(1).ToArray();
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) > 1e-3f, "crop and stretch gave the same output");
    }

    [Fact]
    public void A_run_after_warm_up_allocates_at_most_one_kilobyte_of_managed_memory()
    {
        using var c = Load();
        using var frame = TestImages.Noise(1280, 720, 3);
        for (int n = 1; n <= c.MaxBatch; n++) c.Run(n);
        Span<int> top = stackalloc int[5];

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) TopK.Select(c.Run(1 + i % c.MaxBatch), top);
        long perRun = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.InRange(perRun, 0, 1024);

        for (int i = 0; i < 3; i++) { c.SetFrame(0, frame); c.Run(1); }
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            c.SetFrame(0, frame);
            TopK.Select(c.Run(1), top);
        }
        long perFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.InRange(perFrame, 0, 1024);
    }

    [Fact]
    public void Terminate_cancels_the_next_run_and_the_run_after_it_proceeds()
    {
        using var c = Load();
        using var frame = TestImages.Noise(64, 64, 4);
        c.SetFrame(0, frame);
        var expected = c.Run(1).ToArray();
        c.Terminate();
        Assert.Throws<OperationCanceledException>(() => c.Run(1));
        Assert.Equal(expected, c.Run(1).ToArray());
    }

    [Fact]
    public void A_cancelled_token_stops_the_run_before_it_starts()
    {
        using var c = Load();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => c.Run(1, cts.Token));
        Assert.Equal(c.ClassCount, c.Run(1).Length);
    }

    [Fact]
    public void Batch_sizes_outside_one_to_max_batch_are_refused()
    {
        using var c = Load();
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Run(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Run(c.MaxBatch + 1));
    }
}

public sealed class ClassifierTerminateTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Terminate_from_another_thread_cancels_a_run_in_flight_and_the_classifier_keeps_working()
    {
        // ~2.7 G multiply-adds per run (~0.1 s on one core): long enough that Terminate lands while the run is in flight.
        var model = new TinyContractModel { Height = 192, Width = 192, Hidden = 32, ExtraConvs = 8 };
        using var c = Classifier.Load(model.Save(_dir.Path), new InferenceOptions { Providers = ["CPU"], IntraOpThreads = 1, MaxBatch = 1 });
        var started = new ManualResetEventSlim();
        var run = Task.Run(() =>
        {
            started.Set();
            return c.Run(1).ToArray();
        });
        started.Wait();
        c.Terminate();
        await Assert.ThrowsAsync<OperationCanceledException>(() => run);
        Assert.Equal(c.ClassCount, c.Run(1).Length);
    }

    [Fact]
    public async Task Cancelling_the_token_while_a_run_is_under_way_throws_OperationCanceledException_for_that_token()
    {
        var model = new TinyContractModel { Height = 192, Width = 192, Hidden = 32, ExtraConvs = 8 };
        using var c = Classifier.Load(model.Save(_dir.Path), new InferenceOptions { Providers = ["CPU"], IntraOpThreads = 1, MaxBatch = 1 });
        using var cts = new CancellationTokenSource();
        var started = new ManualResetEventSlim();
        var run = Task.Run(() =>
        {
            started.Set();
            return c.Run(1, cts.Token).ToArray();
        });
        started.Wait();
        cts.Cancel();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(c.ClassCount, c.Run(1).Length);
    }
}
