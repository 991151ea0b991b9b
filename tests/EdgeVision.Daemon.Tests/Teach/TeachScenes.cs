using EdgeVision.Teaching.Tests;
using OpenCvSharp;

namespace EdgeVision.Daemon.Tests.Teach;

/// <summary>Video sources of clearly different content (a red disc, blue stripes, a green checkerboard), each frame a little different.</summary>
internal static class TeachScenes
{
    public static IReadOnlyList<string> Labels => CaptureImages.Labels;

    /// <summary>An MJPG AVI of <paramref name="label"/>'s scene, <paramref name="frames"/> frames at 30 fps.</summary>
    public static string WriteClip(string directory, string label, int frames = 60)
    {
        string path = Path.Combine(directory, label + ".avi");
        using var writer = new VideoWriter(path, FourCC.MJPG, 30, new Size(320, 240));
        if (!writer.IsOpened()) throw new InvalidOperationException($"cannot write {path}");
        for (int i = 0; i < frames; i++)
        {
            using var frame = CaptureImages.Draw(label, 1000 + i, 320, 240);
            writer.Write(frame);
        }
        writer.Release();
        return path;
    }

    /// <summary>Captures as the daemon writes them, straight to disk (for tests about the job, not about capturing).</summary>
    public static void WriteCaptures(string datasetRoot, int perLabel, IEnumerable<string>? labels = null) =>
        CaptureImages.WriteDataset(datasetRoot, perLabel, labels);

    /// <summary>Daemon arguments for one file source per label, looping.</summary>
    public static IEnumerable<string> SourceArguments(string directory, IEnumerable<string> labels)
    {
        int i = 0;
        foreach (string label in labels)
        {
            yield return $"--Capture:Sources:{i}:Name={label}";
            yield return $"--Capture:Sources:{i}:Kind=File";
            yield return $"--Capture:Sources:{i}:Path={WriteClip(directory, label)}";
            yield return $"--Capture:Sources:{i}:Loop=true";
            i++;
        }
    }
}
