using OpenCvSharp;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>Generated clips: a moving bright square on a dark background, MJPG in AVI (no codec needed).</summary>
internal static class TestVideo
{
    public static string Write(string path, int frames = 60, int width = 320, int height = 240, double fps = 30)
    {
        using var writer = new VideoWriter(path, FourCC.MJPG, fps, new Size(width, height));
        if (!writer.IsOpened()) throw new InvalidOperationException($"cannot write {path}");
        using var frame = new Mat(height, width, MatType.CV_8UC3);
        for (int i = 0; i < frames; i++)
        {
            frame.SetTo(new Scalar(30, 30, 30));
            int x = i * (width - 60) / Math.Max(1, frames - 1);
            Cv2.Rectangle(frame, new Rect(x, height / 2 - 30, 60, 60), new Scalar(40, 200, 240), -1);
            writer.Write(frame);
        }
        writer.Release();
        return path;
    }
}
