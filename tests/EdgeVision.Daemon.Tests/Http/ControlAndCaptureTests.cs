using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCvSharp;

namespace EdgeVision.Daemon.Tests.Http;

public sealed class ControlAndCaptureTests
{
    [Fact]
    public async Task Capture_saves_the_raw_frame_as_png_in_imagefolder_layout_and_counts_it()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        producer.PublishNow(2);

        using var first = await server.Client.PostAsJsonAsync("/api/capture", new { source = "cam0", label = "Ankle boot" });
        using var second = await server.Client.PostAsJsonAsync("/api/capture", new { source = "cam0", label = "Ankle boot" });
        using var other = await server.Client.PostAsJsonAsync("/api/capture", new { source = "cam0", label = "Größe_2" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var saved = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, saved.GetProperty("count").GetInt32());
        string relative = saved.GetProperty("path").GetString()!;
        Assert.StartsWith(Path.Combine("train", "Ankle boot") + Path.DirectorySeparatorChar, relative);
        string full = Path.Combine(server.DatasetRoot, relative);
        using var image = Cv2.ImRead(full, ImreadModes.Unchanged);
        Assert.Equal(320, image.Width);
        Assert.Equal(3, image.Channels());
        using var expected = new Mat();
        producer.CopyRaw(expected);
        Assert.Equal(0, Cv2.Norm(image, expected, NormTypes.INF)); // PNG is lossless: exactly the raw frame
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Empty(Directory.GetFiles(server.DatasetRoot, "*.tmp", SearchOption.AllDirectories));

        var counts = JsonDocument.Parse(await server.Client.GetStringAsync("/api/capture/counts")).RootElement;
        Assert.Equal(2, counts.GetProperty("counts").GetProperty("Ankle boot").GetInt32());
        Assert.Equal(1, counts.GetProperty("counts").GetProperty("Größe_2").GetInt32());
        Assert.Equal("Ankle boot", counts.GetProperty("labels")[9].GetString());
    }

    [Fact]
    public async Task Switching_to_a_listed_model_reports_it_active()
    {
        await using var server = await HttpTestServer.StartAsync();

        using var response = await server.Client.PostAsJsonAsync("/api/models/active", new { name = FakeDaemonControl.OtherModel });
        var models = JsonDocument.Parse(await server.Client.GetStringAsync("/api/models")).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FakeDaemonControl.OtherModel, server.Control.ActiveModel);
        var active = models.EnumerateArray().Single(m => m.GetProperty("active").GetBoolean());
        Assert.Equal(FakeDaemonControl.OtherModel, active.GetProperty("name").GetString());
        Assert.Equal(0.925, active.GetProperty("top1").GetDouble());
        Assert.Equal(128_000, active.GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task Status_reports_model_provider_sources_and_stream_clients()
    {
        await using var server = await HttpTestServer.StartAsync(null, "front", "back");

        var status = JsonDocument.Parse(await server.Client.GetStringAsync("/api/status")).RootElement;

        Assert.Equal("CPU", status.GetProperty("model").GetProperty("provider").GetString());
        Assert.Equal(FakeDaemonControl.GoodModel, status.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(["front", "back"], status.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(42, status.GetProperty("uptimeSeconds").GetDouble());
        Assert.False(status.GetProperty("tokenRequired").GetBoolean());
    }

    [Fact]
    public async Task Readiness_is_503_with_the_reason_until_frames_flow_and_liveness_is_always_ok()
    {
        await using var server = await HttpTestServer.StartAsync();
        server.Control.FramesFlowing = false;

        using var notReady = await server.Client.GetAsync("/readyz");
        using var alive = await server.Client.GetAsync("/healthz");
        server.Control.FramesFlowing = true;
        using var ready = await server.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("no frames are flowing", await notReady.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Viewer_page_is_served_self_contained_with_a_same_origin_policy()
    {
        await using var server = await HttpTestServer.StartAsync();

        using var page = await server.Client.GetAsync("/");
        string html = await page.Content.ReadAsStringAsync();
        string script = await server.Client.GetStringAsync("/viewer.js");
        string css = await server.Client.GetStringAsync("/viewer.css");

        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("/viewer.js", html);
        foreach (string text in new[] { html, script, css })
        {
            Assert.DoesNotContain("http://", text);
            Assert.DoesNotContain("https://", text);
        }
    }
}
