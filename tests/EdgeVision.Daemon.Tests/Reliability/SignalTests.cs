using System.Net.Http.Json;
using EdgeVision.Core.IO;
using EdgeVision.Daemon.Tests.Host;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// Scenario 5: SIGTERM to the real daemon process while something is half done — a model reload, capture writes,
/// 50 stream clients — exits within 5 s with code 0, tells systemd STOPPING=1 and leaves no partial file.
/// </summary>
public sealed class SignalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_during_capture_writes_and_fifty_streams_exits_cleanly_and_leaves_only_whole_images()
    {
        using var scratch = new Scratch();
        using var notify = new FakeNotifySocket(scratch.File("notify.sock"));
        int port = FfmpegPipeSourceTests.FreePort();
        string dataset = scratch.File("dataset");
        using var daemon = Start(scratch, notify, port, "--Http:DatasetRoot=" + dataset, "--Http:WriteRateLimitBurst=10000", "--Http:WriteRateLimitPerSecond=10000");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        await WaitForFramesAsync(client, daemon);

        using var stop = new CancellationTokenSource();
        var streams = Enumerable.Range(0, 50).Select(_ => ReadStreamAsync(client, stop.Token)).ToList();
        var captures = Enumerable.Range(0, 4).Select(_ => CaptureLoopAsync(client, stop.Token)).ToList();
        Assert.True(await Eventually.TrueAsync(() => Directory.Exists(Path.Combine(dataset, "train", "sigterm")) &&
                                                     Directory.GetFiles(Path.Combine(dataset, "train", "sigterm")).Length >= 5, TimeSpan.FromSeconds(60)),
            "no captures written\n" + daemon.Output);

        var exit = daemon.TerminateWithinFiveSeconds();
        output.WriteLine($"exited {exit.TotalMilliseconds:F0} ms after SIGTERM with 50 streams and 4 capture loops");
        stop.Cancel();
        int[] frames = await Task.WhenAll(streams);
        await Task.WhenAll(captures);
        Assert.Equal(0, daemon.ExitCode);
        Assert.True(notify.WaitFor("STOPPING=1", TimeSpan.FromSeconds(1)), "STOPPING=1 never arrived");
        Assert.True(frames.Count(f => f > 0) >= 45, $"streams that got a frame before the signal: {frames.Count(f => f > 0)} of 50");

        var files = Directory.GetFiles(dataset, "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
        foreach (string f in files)
        {
            using var image = Cv2.ImRead(f, ImreadModes.Unchanged);
            Assert.False(image.Empty(), $"{f} is not a whole PNG");
        }
        output.WriteLine($"{files.Length} whole captures, none partial");
    }

    [Fact]
    public async Task Sigterm_during_a_model_reload_exits_cleanly_and_leaves_no_partial_file()
    {
        using var scratch = new Scratch();
        using var notify = new FakeNotifySocket(scratch.File("notify.sock"));
        int port = FfmpegPipeSourceTests.FreePort();
        Directory.CreateDirectory(scratch.File("models"));
        string model = TestModels.Tiny(scratch.File("models"), "active.onnx");
        using var daemon = Start(scratch, notify, port, "--Model:Path=" + model, "--Model:Directory=" + scratch.File("models"), "--Model:WatchDebounceMs=50");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        await WaitForFramesAsync(client, daemon);

        // A model that takes a while to load and warm (many convolutions), written over the serving file.
        var slow = new EdgeVision.Inference.Tests.TinyContractModel { Seed = 9, Hidden = 32, ExtraConvs = 40, Height = 256, Width = 256 };
        AtomicFile.WriteBytes(model, Google.Protobuf.MessageExtensions.ToByteArray(slow.Build()));
        Assert.True(daemon.WaitForOutput("changed; reloading", TimeSpan.FromSeconds(30)), "the reload never started\n" + daemon.Output);

        var exit = daemon.TerminateWithinFiveSeconds(" during a reload");
        output.WriteLine($"exited {exit.TotalMilliseconds:F0} ms after SIGTERM during a reload");
        Assert.Equal(0, daemon.ExitCode);
        Assert.True(notify.WaitFor("STOPPING=1", TimeSpan.FromSeconds(1)), "STOPPING=1 never arrived");
        Assert.Equal(["active.onnx"], Directory.GetFiles(scratch.File("models")).Select(Path.GetFileName));
    }

    private static DaemonProcess Start(Scratch scratch, FakeNotifySocket notify, int port, params string[] extra)
    {
        var args = new List<string>
        {
            "--Http:Port=" + port, "--Window:Enabled=false", "--Inference:Providers:0=CPU",
            "--Capture:Sources:0:Name=demo", "--Capture:Sources:0:Kind=Demo", "--Capture:Sources:0:Fps=20",
        };
        if (!extra.Any(a => a.StartsWith("--Model:Path=", StringComparison.Ordinal))) args.Add("--Model:Path=" + TestModels.Tiny(scratch.Path));
        args.AddRange(extra);
        return DaemonProcess.Start(scratch.Path, args, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
    }

    private static async Task WaitForFramesAsync(HttpClient client, DaemonProcess daemon)
    {
        bool ready = await Eventually.TrueAsync(async () =>
        {
            try { return (await client.GetAsync("/readyz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(60));
        Assert.True(ready, "the daemon never became ready\n" + daemon.Output);
    }

    /// <summary>Reads an MJPEG stream until it ends; returns how many parts (by their boundary headers) arrived.</summary>
    private static async Task<int> ReadStreamAsync(HttpClient client, CancellationToken ct)
    {
        int parts = 0;
        try
        {
            using var response = await client.GetAsync("/stream/demo", HttpCompletionOption.ResponseHeadersRead, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await body.ReadAsync(buffer, ct)) > 0)
            {
                parts += System.Text.Encoding.ASCII.GetString(buffer, 0, n).Split("Content-Type: image/jpeg").Length - 1;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException) { }
        return parts;
    }

    private static async Task CaptureLoopAsync(HttpClient client, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var response = await client.PostAsJsonAsync("/api/capture", new { source = "demo", label = "sigterm" }, ct);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException) { }
    }
}
