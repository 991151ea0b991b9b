using OpenCvSharp;

namespace EdgeVision.Data;

/// <summary>Labelled images read one at a time, so a 10 000-image test set never sits in memory at model size.</summary>
public interface IImageDataset
{
    /// <summary>For reports and metadata, e.g. "fashion-mnist/train".</summary>
    string Name { get; }

    int Count { get; }

    /// <summary>Class names in label order.</summary>
    IReadOnlyList<string> Classes { get; }

    int Label(int index);

    /// <summary>Files of the split that were left out as unreadable, with the reason (empty for decoded IDX data).</summary>
    IReadOnlyList<SkippedImage> Skipped => [];

    /// <summary>The image as OpenCV decodes it (CV_8UC1 grey or CV_8UC3 BGR); the caller owns and disposes it.</summary>
    Mat Read(int index);
}
