using EdgeVision.Core.Model;
using OpenCvSharp;

namespace EdgeVision.Inference.Tests;

public sealed class BatchBufferTests
{
    [Fact]
    public void Resizing_into_a_slot_writes_the_slots_own_memory_without_reallocating()
    {
        using var buffer = new BatchBuffer(3, 224, 224, ResizePolicy.Stretch);
        using var frame = TestImages.Noise(1280, 720, 1);
        IntPtr before = buffer.Slot(1).Data;
        buffer.Write(1, frame);
        Assert.Equal(before, buffer.Slot(1).Data);
        Assert.Equal(224, buffer.Slot(1).Rows);

        using var expected = new Mat();
        Cv2.Resize(frame, expected, new Size(224, 224), 0, 0, InterpolationFlags.Linear);
        Assert.Equal(TestImages.Bytes(expected), buffer.SlotBytesOf(1).ToArray());
        // Neighbouring slots are untouched.
        Assert.All(buffer.SlotBytesOf(0).ToArray(), b => Assert.Equal(0, b));
        Assert.All(buffer.SlotBytesOf(2).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Slots_are_consecutive_in_one_block_shared_with_the_input_tensors()
    {
        using var buffer = new BatchBuffer(4, 8, 10, ResizePolicy.Stretch);
        for (int i = 1; i < 4; i++) Assert.Equal(buffer.Slot(0).Data + i * 8 * 10 * 3, buffer.Slot(i).Data);
        Assert.Equal(0, buffer.Slot(0).Data % 64);
        var shape = buffer.Input(3).GetTensorTypeAndShape().Shape;
        Assert.Equal([3L, 8, 10, 3], shape);
        unsafe
        {
            Assert.Equal(buffer.Slot(0).Data, (IntPtr)System.Runtime.CompilerServices.Unsafe.AsPointer(ref buffer.Input(3).GetTensorMutableDataAsSpan<byte>()[0]));
        }
    }

    [Fact]
    public void Centre_crop_keeps_the_centre_of_the_shorter_side_and_stretch_keeps_everything()
    {
        Assert.Equal(new Rect(280, 0, 720, 720), FrameFitter.SourceRegion(new Size(1280, 720), new Size(224, 224), ResizePolicy.CenterCrop));
        Assert.Equal(new Rect(0, 140, 480, 360), FrameFitter.SourceRegion(new Size(480, 640), new Size(32, 24), ResizePolicy.CenterCrop));
        Assert.Equal(new Rect(0, 0, 1280, 720), FrameFitter.SourceRegion(new Size(1280, 720), new Size(224, 224), ResizePolicy.Stretch));
    }

    [Fact]
    public void Centre_crop_and_stretch_put_different_pixels_in_the_slot_as_each_policy_says()
    {
        // Red outer quarters, blue middle half: the 720×720 centre crop of a 1280×720 frame sees only
        // blue (the middle half spans 320..960, the crop 280..1000 — 40 px of red each side), stretch sees red on both quarters.
        using var frame = TestImages.Bands(1280, 720);
        using var crop = new BatchBuffer(1, 64, 64, ResizePolicy.CenterCrop);
        using var stretch = new BatchBuffer(1, 64, 64, ResizePolicy.Stretch);
        crop.Write(0, frame);
        stretch.Write(0, frame);

        using var expectedCrop = new Mat();
        using (var roi = new Mat(frame, new Rect(280, 0, 720, 720))) Cv2.Resize(roi, expectedCrop, new Size(64, 64), 0, 0, InterpolationFlags.Linear);
        Assert.Equal(TestImages.Bytes(expectedCrop), crop.SlotBytesOf(0).ToArray());

        Vec3b cropLeft = crop.Slot(0).At<Vec3b>(32, 0), stretchLeft = stretch.Slot(0).At<Vec3b>(32, 0);
        Vec3b cropMid = crop.Slot(0).At<Vec3b>(32, 32), stretchMid = stretch.Slot(0).At<Vec3b>(32, 32);
        Assert.Equal(255, stretchLeft.Item2); // red at the stretched left edge
        Assert.Equal(255, cropLeft.Item2);    // the crop's left edge is still in the 40-px red margin
        Assert.Equal(255, cropMid.Item0);
        Assert.Equal(255, stretchMid.Item0);
        // Red covers 1/4 of the stretched width but only 40/720 of the crop.
        int redStretch = CountRed(stretch.Slot(0)), redCrop = CountRed(crop.Slot(0));
        Assert.InRange(redStretch, 64 * 64 * 2 / 4 - 64 * 2, 64 * 64 * 2 / 4 + 64 * 2);
        Assert.InRange(redCrop, 64 * 2 * 2, 64 * 6 * 2);
    }

    private static int CountRed(Mat m)
    {
        int n = 0;
        for (int y = 0; y < m.Rows; y++)
        for (int x = 0; x < m.Cols; x++)
            if (m.At<Vec3b>(y, x).Item2 > 128) n++;
        return n;
    }

    [Fact]
    public void Grey_frames_are_converted_to_equal_BGR_channels_in_the_slot()
    {
        using var buffer = new BatchBuffer(1, 24, 32, ResizePolicy.Stretch);
        using var grey = TestImages.Noise(320, 240, 5, MatType.CV_8UC1);
        IntPtr before = buffer.Slot(0).Data;
        buffer.Write(0, grey);
        Assert.Equal(before, buffer.Slot(0).Data);
        using var expected = new Mat();
        Cv2.Resize(grey, expected, new Size(32, 24), 0, 0, InterpolationFlags.Linear);
        var slot = buffer.SlotBytesOf(0).ToArray();
        var g = TestImages.Bytes(expected);
        for (int i = 0; i < g.Length; i++)
        {
            Assert.Equal(g[i], slot[3 * i]);
            Assert.Equal(g[i], slot[3 * i + 1]);
            Assert.Equal(g[i], slot[3 * i + 2]);
        }
    }

    [Fact]
    public void A_frame_already_at_the_input_size_is_copied_exactly()
    {
        using var buffer = new BatchBuffer(1, 24, 32, ResizePolicy.CenterCrop);
        using var frame = TestImages.Noise(32, 24, 9);
        buffer.Write(0, frame);
        Assert.Equal(TestImages.Bytes(frame), buffer.SlotBytesOf(0).ToArray());
    }

    [Fact]
    public void Unsupported_or_empty_frames_and_bad_slots_are_refused_with_the_reason()
    {
        using var buffer = new BatchBuffer(2, 8, 8, ResizePolicy.Stretch);
        using var floats = new Mat(8, 8, MatType.CV_32FC3);
        Assert.Contains("CV_32FC3", Assert.Throws<ArgumentException>(() => buffer.Write(0, floats)).Message);
        using var empty = new Mat();
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => buffer.Write(0, empty)).Message);
        using var ok = TestImages.Noise(8, 8, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Write(2, ok));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Input(0));
    }
}
