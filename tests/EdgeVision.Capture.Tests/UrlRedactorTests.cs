namespace EdgeVision.Capture.Tests;

public class UrlRedactorTests
{
    [Theory]
    [InlineData("rtsp://admin:hunter2@10.0.0.5:554/stream1", "rtsp://***@10.0.0.5:554/stream1")]
    [InlineData("http://user:p%40ss@cam.local/mjpg", "http://***@cam.local/mjpg")]
    [InlineData("open failed for rtsps://viewer@host/a and http://a:b@c/d", "open failed for rtsps://***@host/a and http://***@c/d")]
    [InlineData("http://cam/snap?user=x&password=hunter2&size=1", "http://cam/snap?user=x&password=***&size=1")]
    [InlineData("https://cam/live?token=abc.def", "https://cam/live?token=***")]
    public void Credentials_are_masked(string input, string expected)
    {
        Assert.Equal(expected, UrlRedactor.Redact(input));
        Assert.DoesNotContain("hunter2", UrlRedactor.Redact(input));
    }

    [Theory]
    [InlineData("rtsp://10.0.0.5:554/stream1")]
    [InlineData("/dev/video0")]
    [InlineData("user@example.com wrote this")]
    [InlineData("")]
    public void Text_without_credentials_is_unchanged(string input) => Assert.Equal(input, UrlRedactor.Redact(input));

    [Fact]
    public void Source_exceptions_never_carry_credentials()
    {
        var inner = new InvalidOperationException("connect rtsp://admin:hunter2@cam/1 refused");
        var ex = new SourceException("ffmpeg rtsp://admin:hunter2@cam/1", inner);
        Assert.DoesNotContain("hunter2", ex.Message);
        Assert.Contains("rtsp://***@cam/1", ex.Message);
    }
}
