using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeVision.Daemon.Tests.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCvSharp;

namespace EdgeVision.Daemon.Tests.Http;

/// <summary>
/// The HTTP surface on the real daemon: the host's frame loop with the shipped model on the built-in demo
/// source, exactly what the run command starts, seen through HTTP and through the browser.
/// </summary>
public sealed class RealDaemonTests : IAsyncLifetime
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "edgevision-real-" + Guid.NewGuid().ToString("N"));
    private InProcessDaemon? _daemon;
    private HttpClient? _client;

    private string Model => Path.Combine(RepositoryPaths.Root, "models", "default.onnx");

    private HttpClient Client => _client!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_scratch);
        Assert.True(File.Exists(Model), $"the shipped model {Model} is missing");
        _daemon = await InProcessDaemon.StartAsync(
        [
            .. DaemonArguments.InProcess(_scratch, Model, watchDebounceMs: null),
            "--FrameLoop:TargetFps=12",
            "--Http:DatasetRoot=" + Path.Combine(_scratch, "dataset"),
            "--Capture:Sources:0:Name=demo",
            "--Capture:Sources:0:Kind=Demo",
        ], probe: false);
        _client = new HttpClient { BaseAddress = _daemon.Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_daemon is not null) await _daemon.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Hud_toggle_reaches_the_toggles_the_real_daemon_draws_with()
    {
        var toggles = _daemon!.Services.GetRequiredService<EdgeVision.Daemon.FrameLoop.HudToggles>();
        Assert.True(toggles.Get("reticle"));

        using var response = await Client.PostAsJsonAsync("/api/hud", new { element = "reticle", visible = false });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(toggles.Get("reticle"));
        var listed = JsonDocument.Parse(await Client.GetStringAsync("/api/hud")).RootElement;
        Assert.False(listed.GetProperty("reticle").GetBoolean());
        Assert.True(listed.GetProperty("fps").GetBoolean());
    }

    [Fact]
    public async Task Real_daemon_serves_ready_stream_events_metrics_capture_and_the_viewer()
    {
        // Ready once the model runs on flowing frames.
        HttpStatusCode ready = HttpStatusCode.ServiceUnavailable;
        for (int i = 0; i < 300 && ready != HttpStatusCode.OK; i++)
        {
            using var response = await Client.GetAsync("/readyz");
            ready = response.StatusCode;
            if (ready != HttpStatusCode.OK) await Task.Delay(100);
        }
        Assert.Equal(HttpStatusCode.OK, ready);

        // The MJPEG stream carries the annotated demo frames.
        using (var stream = await Client.GetAsync("/stream/demo", HttpCompletionOption.ResponseHeadersRead))
        await using (var body = await stream.Content.ReadAsStreamAsync())
        {
            var (_, jpeg) = await new MjpegPartReader(body).ReadPartAsync(CancellationToken.None);
            using var image = Cv2.ImDecode(jpeg, ImreadModes.Color);
            Assert.False(image.Empty());
        }

        // Predictions name classes of the shipped model.
        var status = JsonDocument.Parse(await Client.GetStringAsync("/api/status")).RootElement;
        Assert.Equal("default.onnx", status.GetProperty("model").GetProperty("name").GetString());
        var predictions = JsonDocument.Parse(await Client.GetStringAsync("/api/predictions")).RootElement;
        string top = predictions.GetProperty("demo").GetProperty("topk")[0].GetProperty("label").GetString()!;
        var counts = JsonDocument.Parse(await Client.GetStringAsync("/api/capture/counts")).RootElement;
        Assert.Contains(top, counts.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));

        // The frame loop feeds the metrics.
        var metrics = PrometheusParser.Parse(await Client.GetStringAsync("/metrics"));
        Assert.True(metrics["edgevision_frames_inferred_total"].Samples.Single(s => s.Labels["source"] == "demo").Value > 0);
        Assert.True(metrics["edgevision_end_to_end_seconds"].Samples.Single(s => s.Name.EndsWith("_count")).Value > 0);

        // Capture through the host's raw frame.
        using var capture = await Client.PostAsJsonAsync("/api/capture", new { source = "demo", label = top });
        Assert.Equal(HttpStatusCode.Created, capture.StatusCode);
        Assert.Single(Directory.GetFiles(Path.Combine(_scratch, "dataset", "train", top), "*.png"));

        // And the viewer in the browser (with EDGEVISION_WRITE_DOCS=1 kept as the README's screenshot).
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserViewerTests.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 860 } });
        await page.GotoAsync(Client.BaseAddress!.ToString());
        await page.WaitForFunctionAsync("() => { const i = document.getElementById('stream-demo'); return i && i.naturalWidth > 0; }",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#topk li.row").First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#capture-counts li[data-label] b").First).ToHaveTextAsync("1");
        await page.WaitForTimeoutAsync(6000); // a few seconds of sparkline
        // The README's screenshot is refreshed only on request, so a test run never dirties tracked files.
        string screenshot = Environment.GetEnvironmentVariable("EDGEVISION_WRITE_DOCS") == "1"
            ? Path.Combine(RepositoryPaths.Root, "docs", "viewer.png")
            : Path.Combine(_scratch, "viewer.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }
}
