using System.ComponentModel.DataAnnotations;

namespace EdgeVision.Capture.Tests;

public class SourceOptionsTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("/dev/video2", 2)]
    public void Camera_devices_parse_by_index_or_node(string device, int index)
    {
        Assert.True(CameraDevice.TryParse(device, out int parsed));
        Assert.Equal(index, parsed);
    }

    [Fact]
    public void Each_kind_requires_its_inputs()
    {
        Assert.Contains(new SourceOptions { Kind = SourceKind.File }.Errors(), e => e.Contains("Path is required"));
        Assert.Contains(new SourceOptions { Kind = SourceKind.Folder }.Errors(), e => e.Contains("Path is required"));
        Assert.Contains(new SourceOptions { Kind = SourceKind.Camera }.Errors(), e => e.Contains("Device is required"));
        Assert.Contains(new SourceOptions { Kind = SourceKind.Pipe, Uri = "rtsp://x/1" }.Errors(), e => e.Contains("Width and Height are required"));
        Assert.Contains(new SourceOptions { Kind = SourceKind.Camera, Device = "0", FourCC = "MJPEG" }.Errors(), e => e.Contains("FourCC"));
        Assert.Empty(new SourceOptions().Errors());
        Assert.Empty(new SourceOptions { Kind = SourceKind.Pipe, Uri = "rtsp://x/1", Width = 640, Height = 480 }.Errors());
    }

    [Fact]
    public void Capture_options_name_the_index_of_a_bad_source_and_reject_duplicate_names()
    {
        var options = new CaptureOptions
        {
            Sources =
            [
                new SourceOptions { Name = "a" },
                new SourceOptions { Name = "a", StallTimeout = TimeSpan.Zero },
            ],
        };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains("Capture:Sources:1[a]:StallTimeout"));
        Assert.Contains(results, r => r.ErrorMessage!.Contains("Capture:Sources:1:Name 'a' is used by another source"));
    }
}
