using EdgeVision.Inference;
using OpenCvSharp;

namespace EdgeVision.Tools.Bench;

/// <summary>(a) This engine: OpenCV resize straight into the pinned batch, fused preprocessing, IoBinding.</summary>
public sealed class EnginePipeline : IFramePipeline
{
    private readonly Classifier _classifier;
    private readonly int[] _top = new int[5];

    public EnginePipeline(BenchModel model, int threads, int maxBatch, bool spin)
    {
        _classifier = Classifier.Load(model.ContractPath, new InferenceOptions
        {
            IntraOpThreads = threads,
            InterOpThreads = 1,
            MaxBatch = maxBatch,
            AllowSpinning = spin,
        });
    }

    public string Name => "(a) EdgeVision engine";
    public string Provider => _classifier.Provider;

    public void Process(Mat[] frames, int count)
    {
        for (int i = 0; i < count; i++) _classifier.SetFrame(i, frames[i]);
        var probabilities = _classifier.Run(count);
        int classes = _classifier.ClassCount;
        for (int i = 0; i < count; i++) TopK.Select(probabilities.Slice(i * classes, classes), _top);
    }

    public float[] Probabilities(Mat frame)
    {
        _classifier.SetFrame(0, frame);
        return _classifier.Run(1).ToArray();
    }

    public void Dispose() => _classifier.Dispose();
}
