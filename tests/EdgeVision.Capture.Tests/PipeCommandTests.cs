namespace EdgeVision.Capture.Tests;

public class PipeCommandTests
{
    private static SourceOptions Pipe(string? uri = null, string? path = null) => new()
    {
        Name = "p",
        Kind = SourceKind.Pipe,
        Uri = uri,
        Path = path,
        Width = 320,
        Height = 240,
    };

    [Fact]
    public void Rtsp_urls_become_one_argument_with_tcp_transport_and_raw_bgr_output()
    {
        var command = PipeCommand.Build(Pipe("rtsp://admin:pw@10.0.0.2:554/h264?channel=1&x=$(reboot)"));
        Assert.Equal("ffmpeg", command.FileName);
        var args = command.Arguments;
        Assert.Equal("rtsp://admin:pw@10.0.0.2:554/h264?channel=1&x=$(reboot)", args[args.ToList().IndexOf("-i") + 1]);
        Assert.Equal("tcp", args[args.ToList().IndexOf("-rtsp_transport") + 1]);
        Assert.Equal(["-vf", "scale=320:240", "-pix_fmt", "bgr24", "-f", "rawvideo", "-"], args.TakeLast(7));
        Assert.Contains("-nostdin", args);
        Assert.DoesNotContain(args, a => a is "sh" or "-c" or "/bin/sh" or "bash");
    }

    [Theory]
    [InlineData("http://cam.local/video.mjpg")]
    [InlineData("https://example.com/live/stream.m3u8")]
    [InlineData("udp://239.0.0.1:1234")]
    [InlineData("srt://10.0.0.3:9000?mode=caller")]
    [InlineData("rtsp://host/path with spaces/'quoted'\"double\";rm -rf")]
    public void Valid_urls_are_accepted_verbatim(string url)
    {
        var command = PipeCommand.Build(Pipe(url));
        Assert.Contains(url, command.Arguments);
        Assert.Equal(url.StartsWith("rtsp", StringComparison.Ordinal), command.Arguments.Contains("-rtsp_transport"));
    }

    [Theory]
    [InlineData("pipe:0")]
    [InlineData("concat:/etc/passwd|/etc/shadow")]
    [InlineData("file:/etc/passwd")]
    [InlineData("-f lavfi")]
    [InlineData("not a url")]
    public void Urls_that_could_read_local_files_or_inject_options_are_rejected(string url)
    {
        var ex = Assert.Throws<SourceException>(() => PipeCommand.Build(Pipe(url)));
        Assert.Contains("Uri", ex.Message);
    }

    [Fact]
    public void A_local_path_is_pinned_to_the_file_protocol_and_paced()
    {
        var command = PipeCommand.Build(Pipe(path: "/tmp/-weird name:rtsp.mp4"));
        var args = command.Arguments.ToList();
        Assert.Equal("file:/tmp/-weird name:rtsp.mp4", args[args.IndexOf("-i") + 1]);
        Assert.Contains("-re", args);
        Assert.Equal("-1", args[args.IndexOf("-stream_loop") + 1]);
    }

    [Fact]
    public void The_default_gstreamer_pipeline_reads_a_csi_camera_into_bgr_on_stdout()
    {
        var options = Pipe();
        options.Program = PipeProgram.GStreamer;
        options.Device = "1";
        options.Fps = 60;
        var command = PipeCommand.Build(options);
        Assert.Equal("gst-launch-1.0", command.FileName);
        Assert.Equal("-q", command.Arguments[0]);
        Assert.Contains("nvarguscamerasrc", command.Arguments);
        Assert.Contains("sensor-id=1", command.Arguments);
        Assert.Contains("video/x-raw(memory:NVMM),width=320,height=240,framerate=60/1", command.Arguments);
        Assert.Contains("video/x-raw,format=BGR,width=320,height=240", command.Arguments);
        Assert.Equal(["fdsink", "fd=1", "sync=false"], command.Arguments.TakeLast(3));
    }

    [Fact]
    public void A_custom_gstreamer_source_is_split_into_arguments_and_may_not_bring_its_own_sink()
    {
        var options = Pipe();
        options.Program = PipeProgram.GStreamer;
        options.Pipeline = "v4l2src device=/dev/video1 ! image/jpeg ! nvjpegdec";
        var command = PipeCommand.Build(options);
        Assert.Equal(["-q", "-e", "v4l2src", "device=/dev/video1", "!", "image/jpeg", "!", "nvjpegdec", "!"], command.Arguments.Take(9));

        options.Pipeline = "videotestsrc ! filesink location=/etc/x";
        Assert.Throws<SourceException>(() => PipeCommand.Build(options));
    }

    [Fact]
    public void The_display_string_quotes_arguments_and_redacts_credentials()
    {
        string display = PipeCommand.Build(Pipe("rtsp://admin:pw@cam/a b")).ToDisplayString();
        Assert.Contains("'rtsp://***@cam/a b'", display);
        Assert.DoesNotContain("pw@", display);
    }
}
