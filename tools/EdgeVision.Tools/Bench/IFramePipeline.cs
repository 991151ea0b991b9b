using OpenCvSharp;

namespace EdgeVision.Tools.Bench;

/// <summary>One way of getting from camera frames (BGR Mats) to each frame's top-5.</summary>
public interface IFramePipeline : IDisposable
{
    /// <summary>Short label for the table.</summary>
    string Name { get; }

    /// <summary>Classifies frames[0..count) to top-5 each; this is what is timed.</summary>
    void Process(Mat[] frames, int count);

    /// <summary>The probabilities this pipeline gives one frame (untimed; the pipelines must agree).</summary>
    float[] Probabilities(Mat frame);
}
