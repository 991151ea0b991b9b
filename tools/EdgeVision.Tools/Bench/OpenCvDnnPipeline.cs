using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace EdgeVision.Tools.Bench;

/// <summary>
/// (c) OpenCV DNN on the same float reference network: BlobFromImages (resize, BGR→RGB, mean, 1/255)
/// then a per-channel 1/std scale (blobFromImages has one scale factor only) and Forward.
/// </summary>
public sealed class OpenCvDnnPipeline : IFramePipeline
{
    private readonly Net _net;
    private readonly BenchModel _model;
    private readonly int[] _top = new int[5];

    public OpenCvDnnPipeline(BenchModel model, int threads)
    {
        _model = model;
        Cv2.SetNumThreads(threads);
        _net = CvDnn.ReadNetFromOnnx(model.ReferenceBytes) ?? throw new InvalidOperationException("OpenCV DNN could not read the reference model");
        _net.SetPreferableBackend(Backend.OPENCV);
        _net.SetPreferableTarget(Target.CPU);
    }

    public string Name => "(c) OpenCV DNN";

    public void Process(Mat[] frames, int count)
    {
        using var probabilities = Forward(frames, count);
        int classes = _model.Classes;
        unsafe
        {
            var all = new ReadOnlySpan<float>((void*)probabilities.Data, count * classes);
            for (int i = 0; i < count; i++) EdgeVision.Inference.TopK.Select(all.Slice(i * classes, classes), _top);
        }
    }

    public float[] Probabilities(Mat frame)
    {
        using var p = Forward([frame], 1);
        var result = new float[_model.Classes];
        System.Runtime.InteropServices.Marshal.Copy(p.Data, result, 0, result.Length);
        return result;
    }

    private Mat Forward(Mat[] frames, int count)
    {
        var mean = _model.Metadata.Mean;
        var std = _model.Metadata.Std;
        using var blob = CvDnn.BlobFromImages(frames.Take(count), 1.0 / 255,
            new Size(_model.Width, _model.Height),
            new Scalar(mean[0] * 255, mean[1] * 255, mean[2] * 255), swapRB: true, crop: false);
        using (var planes = blob.Reshape(1, count * 3))
        {
            for (int i = 0; i < count * 3; i++)
            {
                using var plane = planes.Row(i);
                plane.ConvertTo(plane, -1, 1.0 / std[i % 3]);
            }
        }
        _net.SetInput(blob);
        // The reference also outputs logits; ask for the softmax by name.
        return _net.Forward(EdgeVision.Core.Model.ModelContract.ProbabilitiesName);
    }

    public void Dispose() => _net.Dispose();
}
