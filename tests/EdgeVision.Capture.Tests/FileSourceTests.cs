using OpenCvSharp;

namespace EdgeVision.Capture.Tests;

public class FileSourceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public void An_image_folder_is_shown_in_alphabetical_order_for_the_image_duration_each()
    {
        using var dir = new TempDir();
        // Written out of order; blue channel encodes the expected position.
        foreach (var (name, blue) in new[] { ("c.png", 30), ("a.png", 10), ("b.jpg", 20) })
        {
            using var image = new Mat(24, 32, MatType.CV_8UC3, new Scalar(blue, 100, 200));
            Cv2.ImWrite(dir.File(name), image);
        }
        System.IO.File.WriteAllText(dir.File("notes.txt"), "not an image");
        var options = new SourceOptions { Name = "f", Kind = SourceKind.Folder, Path = dir.Path, ImageDuration = TimeSpan.FromMilliseconds(60), Fps = 200, Loop = false };
        using var source = new ImageFolderSource(options);
        source.Open(None);
        Assert.Equal(["a.png", "b.jpg", "c.png"], source.FileNames);

        using var frame = new CapturedFrame();
        var order = new List<int>();
        int frames = 0;
        while (source.Read(frame, None) == FrameReadStatus.Frame)
        {
            frames++;
            int blue = (int)Math.Round(frame.Image.Mean().Val0 / 10) * 10;
            if (order.Count == 0 || order[^1] != blue) order.Add(blue);
            Assert.True(frames < 1000, "a non-looping folder must end");
        }
        Assert.Equal([10, 20, 30], order);
        Assert.True(frames >= 6, $"each image should stay for several frames, got {frames} frames");
    }

    [Fact]
    public void An_empty_or_missing_folder_fails_with_a_message_naming_it()
    {
        using var dir = new TempDir();
        using var empty = new ImageFolderSource(new SourceOptions { Name = "f", Kind = SourceKind.Folder, Path = dir.Path });
        Assert.Contains(dir.Path, Assert.Throws<SourceException>(() => empty.Open(None)).Message);
        using var missing = new ImageFolderSource(new SourceOptions { Name = "f", Kind = SourceKind.Folder, Path = dir.File("nope") });
        Assert.Contains("does not exist", Assert.Throws<SourceException>(() => missing.Open(None)).Message);
    }

    internal static string WriteClip(TempDir dir, int frames, Size size)
    {
        string path = dir.File("clip.avi");
        using var writer = new VideoWriter(path, FourCC.MJPG, 25, size);
        Assert.True(writer.IsOpened(), "OpenCV should write MJPG .avi");
        using var image = new Mat(size, MatType.CV_8UC3);
        for (int i = 0; i < frames; i++)
        {
            // Brightness encodes the frame index, robust to JPEG loss.
            image.SetTo(new Scalar(i * 10, i * 10, i * 10));
            writer.Write(image);
        }
        return path;
    }

    [Fact]
    public void A_video_file_plays_every_frame_in_order_and_ends_without_loop()
    {
        using var dir = new TempDir();
        string clip = WriteClip(dir, 12, new Size(64, 48));
        using var source = new VideoFileSource(new SourceOptions { Name = "v", Kind = SourceKind.File, Path = clip, Loop = false, Fps = 500 });
        source.Open(None);
        Assert.False(source.IsLive);
        using var frame = new CapturedFrame();
        var levels = new List<int>();
        while (source.Read(frame, None) == FrameReadStatus.Frame)
        {
            Assert.Equal(new Size(64, 48), frame.Image.Size());
            Assert.Equal(MatType.CV_8UC3, frame.Image.Type());
            levels.Add((int)Math.Round(frame.Image.Mean().Val0 / 10));
        }
        Assert.Equal(Enumerable.Range(0, 12), levels);
    }

    [Fact]
    public void A_looping_video_file_starts_again_at_the_end()
    {
        using var dir = new TempDir();
        string clip = WriteClip(dir, 5, new Size(64, 48));
        using var source = new VideoFileSource(new SourceOptions { Name = "v", Kind = SourceKind.File, Path = clip, Loop = true, Fps = 500 });
        source.Open(None);
        using var frame = new CapturedFrame();
        var levels = new List<int>();
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(FrameReadStatus.Frame, source.Read(frame, None));
            levels.Add((int)Math.Round(frame.Image.Mean().Val0 / 10));
        }
        Assert.Equal([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1], levels);
    }

    [Fact]
    public void A_video_file_is_paced_to_its_own_frame_rate()
    {
        using var dir = new TempDir();
        string clip = WriteClip(dir, 8, new Size(32, 32));
        using var source = new VideoFileSource(new SourceOptions { Name = "v", Kind = SourceKind.File, Path = clip, Loop = false });
        source.Open(None);
        Assert.Equal(25, source.Fps, 3);
    }

    [Fact]
    public void A_missing_video_file_names_the_path()
    {
        using var source = new VideoFileSource(new SourceOptions { Name = "v", Kind = SourceKind.File, Path = "/nonexistent/clip.mp4" });
        var ex = Assert.Throws<SourceException>(() => source.Open(None));
        Assert.Contains("/nonexistent/clip.mp4", ex.Message);
    }

    [Fact]
    public void A_video_file_runs_through_the_runner_into_the_slot()
    {
        using var dir = new TempDir();
        string clip = WriteClip(dir, 10, new Size(64, 48));
        using var runner = new SourceRunner(new SourceOptions { Name = "clip", Kind = SourceKind.File, Path = clip, Loop = false, Fps = 200 });
        runner.Start();
        Wait.Until(() => runner.State == SourceState.Ended, "the clip to end");
        Assert.Equal(10, runner.Captured);
        Assert.Equal(0, runner.Reopens);
    }
}
