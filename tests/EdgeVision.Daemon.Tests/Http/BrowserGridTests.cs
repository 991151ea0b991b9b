using System.Diagnostics;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Tests.Host;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Http;

/// <summary>
/// The issue's case: the real daemon with eight sources (four demo, four generated video files) in a real browser.
/// With one MJPEG &lt;img&gt; per source three tiles never showed a frame; over the live WebSocket every tile must.
/// </summary>
/// <remarks>
/// The issue's 2 s (header) and 5 s (every tile) are figures this test reports, not limits it asserts: a wall-clock
/// bound inside a browser test measures the machine's load. It asserts liveness with a generous bound instead.
/// </remarks>
[Collection(MeasuringCollection.Name)] // other tests' browsers would share the cores
public sealed class BrowserGridTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Sources = 8;
    private const int LivenessBoundMs = 30_000; // far above the 2 s / 5 s figures on a loaded 2-core CI machine
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "edgevision-grid-" + Guid.NewGuid().ToString("N"));
    private InProcessDaemon? _daemon;

    private InProcessDaemon Daemon => _daemon!;

    private static string Name(int i) => i < 4 ? $"demo{i}" : $"file{i}";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_scratch);
        string model = Path.Combine(RepositoryPaths.Root, "models", "default.onnx");
        var args = DaemonArguments.InProcess(_scratch, model, watchDebounceMs: null);
        args.Add("--FrameLoop:TargetFps=20");
        args.Add("--Http:DatasetRoot=" + Path.Combine(_scratch, "dataset"));
        for (int i = 0; i < Sources; i++)
        {
            args.Add($"--Capture:Sources:{i}:Name={Name(i)}");
            if (i < 4)
            {
                args.Add($"--Capture:Sources:{i}:Kind=Demo");
                args.Add($"--Capture:Sources:{i}:DemoSeed={i + 1}");
                args.Add($"--Capture:Sources:{i}:Fps=20");
            }
            else
            {
                string clip = TestVideo.Write(Path.Combine(_scratch, $"clip{i}.avi"), frames: 40, width: 640, height: 480, fps: 20);
                args.Add($"--Capture:Sources:{i}:Kind=File");
                args.Add($"--Capture:Sources:{i}:Path={clip}");
            }
        }
        _daemon = await InProcessDaemon.StartAsync(args, probe: false);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Eight_sources_all_go_live_over_at_most_two_connections_and_focus_gets_the_full_stream()
    {
        var metrics = Daemon.Get<DaemonMetrics>();
        var address = Daemon.Address;
        await WaitReadyAsync(address, metrics);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserViewerTests.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        // What the server granted each request ("subscribed" events), read off the WebSocket's frames.
        var granted = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            if (frame.Text is { } text && text.StartsWith("subscribed\n", StringComparison.Ordinal)) granted.Enqueue(text["subscribed\n".Length..]);
        };
        await page.GotoAsync(address.ToString());
        var clock = Stopwatch.StartNew(); // from the page's load event

        // The model list and the header's stats (the issue's figure: within 2 s of the page loading).
        var liveness = new PageWaitForFunctionOptions { Timeout = LivenessBoundMs, PollingInterval = 50 };
        await WithPageStateOnTimeout(page, () => page.WaitForFunctionAsync("""
            () => document.querySelectorAll('#models li.model').length > 0
              && document.getElementById('badge-provider').textContent === 'CPU'
              && document.getElementById('stat-uptime').textContent !== '–'
              && document.getElementById('stat-fps').textContent !== '–'
              && document.getElementById('stat-infer').textContent !== '–'
            """, null, liveness));
        output.WriteLine($"model list and header stats after {clock.ElapsedMilliseconds} ms");

        // Every tile's picture changes (the issue's figure: within 5 s).
        string[] names = [.. Enumerable.Range(0, Sources).Select(Name)];
        await page.WaitForFunctionAsync($$"""
            (names) => {
              const fingerprint = {{BrowserViewerTests.ImageFingerprint}};
              window.firstSeen = window.firstSeen || {};
              let changed = 0;
              for (const name of names) {
                const now = fingerprint('stream-' + name);
                if (!now) continue;
                if (!(name in window.firstSeen)) window.firstSeen[name] = now;
                else if (window.firstSeen[name] !== now) changed++;
              }
              return changed === names.length;
            }
            """, names, new PageWaitForFunctionOptions { Timeout = LivenessBoundMs, PollingInterval = 100 });
        output.WriteLine($"all {Sources} tiles changed after {clock.ElapsedMilliseconds} ms");
        foreach (string name in names)
            await Assertions.Expect(page.Locator($"#state-{name}")).ToHaveTextAsync("live");

        // At most two connections to the daemon (the WebSocket and one for fetch()), counted by the server.
        long most = 0;
        for (int i = 0; i < 30; i++)
        {
            most = Math.Max(most, metrics.Connections);
            await Task.Delay(100);
        }
        output.WriteLine($"open connections: at most {most} over 3 s");
        Assert.InRange(most, 1, 2);

        // The first source is focused: full size. Pressing 3 moves the full-size, full-rate stream to the third.
        await WaitImageWidthAsync(page, Name(0), w => w == 640);
        await WaitImageWidthAsync(page, Name(2), w => w < 640);
        await page.Keyboard.PressAsync("3");
        await Assertions.Expect(page.Locator($"figure.tile.selected[data-source='{Name(2)}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#pred-source")).ToHaveTextAsync(Name(2));
        await WaitImageWidthAsync(page, Name(2), w => w == 640);
        await WaitImageWidthAsync(page, Name(0), w => w < 640);
        // Playwright hands the page's WebSocket frames to this process asynchronously: the grant that made the tile
        // full size may arrive here after the browser has already drawn it.
        static Dictionary<string, (int Width, int Fps)> Streams(string grant) =>
            System.Text.Json.JsonDocument.Parse(grant).RootElement.GetProperty("streams").EnumerateArray()
                .ToDictionary(e => e.GetProperty("source").GetString()!, e => (Width: e.GetProperty("width").GetInt32(), Fps: e.GetProperty("fps").GetInt32()));
        for (int i = 0; i < 100 && !(Streams(granted.Last()).TryGetValue(Name(2), out var g) && g.Width == 0); i++) await Task.Delay(50);
        var streams = Streams(granted.Last());
        Assert.Equal(Sources, streams.Count);
        Assert.Equal((0, 30), streams[Name(2)]); // full size, the server's full rate (Http:MaxStreamFps)
        Assert.All(streams.Where(s => s.Key != Name(2)), s => Assert.Equal(10, s.Value.Fps));
        Assert.All(streams.Where(s => s.Key != Name(2)), s => Assert.InRange(s.Value.Width, 32, 639));
        await page.WaitForTimeoutAsync(2_500); // a full rate window for the tiles' fps
        double focused = await TileFpsAsync(page, Name(2));
        double[] grid = await Task.WhenAll(names.Where(n => n != Name(2)).Select(n => TileFpsAsync(page, n)));
        output.WriteLine($"received fps: focused {focused:F1}, grid {string.Join(", ", grid.Select(f => f.ToString("F1")))}");
        Assert.All(grid, fps => Assert.InRange(fps, 0.5, 11)); // every grid tile live, at most the 10 fps cap

        // Clicking a tile focuses it too.
        await page.Locator($"figure.tile[data-source='{Name(5)}']").ClickAsync();
        await WaitImageWidthAsync(page, Name(5), w => w == 640);

        // A hidden tab asks for nothing, and nothing comes.
        await page.EvaluateAsync("() => { Object.defineProperty(document, 'hidden', { value: true }); document.dispatchEvent(new Event('visibilitychange')); }");
        for (int i = 0; i < 100 && !granted.Last().Contains("\"streams\":[]", StringComparison.Ordinal); i++) await Task.Delay(50);
        Assert.Equal("""{"streams":[],"events":false}""", granted.Last());
        await Task.Delay(500); // what was already on its way
        long before = metrics.StreamBytesSentTotal(EdgeVision.Daemon.Http.LiveClient.Kind);
        await Task.Delay(2_000);
        Assert.Equal(before, metrics.StreamBytesSentTotal(EdgeVision.Daemon.Http.LiveClient.Kind));
        Assert.Empty(consoleErrors);
    }

    /// <summary>On a timeout, says what the page showed, so a failure names the missing part.</summary>
    private static async Task WithPageStateOnTimeout(IPage page, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (TimeoutException e)
        {
            string shown = await page.EvaluateAsync<string>("""
                () => JSON.stringify({ models: document.querySelectorAll('#models li.model').length,
                  provider: document.getElementById('badge-provider').textContent, up: document.getElementById('stat-uptime').textContent,
                  fps: document.getElementById('stat-fps').textContent, infer: document.getElementById('stat-infer').textContent,
                  tiles: document.querySelectorAll('figure.tile').length })
                """);
            throw new TimeoutException($"{e.Message}; the page showed {shown}", e);
        }
    }

    private static async Task WaitImageWidthAsync(IPage page, string source, Func<int, bool> accept)
    {
        int width = 0;
        for (int i = 0; i < 100; i++)
        {
            width = await page.EvaluateAsync<int>("(id) => document.getElementById(id).naturalWidth", "stream-" + source);
            if (accept(width)) return;
            await Task.Delay(100);
        }
        Assert.Fail($"tile {source} kept showing frames {width} px wide");
    }

    private static async Task<double> TileFpsAsync(IPage page, string source) =>
        double.Parse(await page.EvaluateAsync<string>("(name) => document.querySelector(`figure.tile[data-source='${name}']`).dataset.fps", source),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ready once the model runs on flowing frames; the test's own connection is closed before the browser opens its own.</summary>
    private static async Task WaitReadyAsync(Uri address, DaemonMetrics metrics)
    {
        using (var client = new HttpClient { BaseAddress = address })
        {
            client.DefaultRequestHeaders.ConnectionClose = true;
            for (int i = 0; i < 300; i++)
            {
                using var response = await client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode) break;
                await Task.Delay(100);
            }
        }
        for (int i = 0; i < 100 && metrics.Connections > 0; i++) await Task.Delay(50);
        Assert.Equal(0, metrics.Connections);
    }
}
