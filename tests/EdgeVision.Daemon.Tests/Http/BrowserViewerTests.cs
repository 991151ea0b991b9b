using Microsoft.Playwright;

namespace EdgeVision.Daemon.Tests.Http;

/// <summary>
/// The viewer in a real browser: Debian's chromium, headless, driven by Playwright's bundled driver
/// (ExecutablePath, so Playwright never downloads a browser).
/// </summary>
public sealed class BrowserViewerTests
{
    public const string Chromium = "/usr/bin/chromium";

    internal static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    internal static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });

    /// <summary>A cheap fingerprint of what the stream &lt;img&gt; shows right now (same origin, so readable).</summary>
    internal const string ImageFingerprint = """
        (id) => {
          const img = document.getElementById(id);
          if (!img || !img.naturalWidth) return "";
          const c = document.createElement("canvas");
          c.width = 64; c.height = 48;
          const g = c.getContext("2d");
          g.drawImage(img, 0, 0, 64, 48);
          const d = g.getImageData(0, 0, 64, 48).data;
          let h = 0;
          for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) >>> 0;
          return String(h);
        }
        """;

    [Fact]
    public async Task Viewer_shows_live_frames_and_predictions_switches_models_and_captures_to_disk()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is expected at /usr/bin/chromium (scripts/setup.sh installs it)");
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer(width: 640, height: 480);
        producer.Start(fps: 10);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        server.Control.SetHudElement("reticle", false); // as if configured off, or switched by another viewer
        await page.GotoAsync(server.BaseAddress.ToString());

        // The stream image changes.
        await page.WaitForFunctionAsync("() => { const i = document.getElementById('stream-cam0'); return i && i.naturalWidth > 0; }",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        string first = await page.EvaluateAsync<string>(ImageFingerprint, "stream-cam0");
        await page.WaitForFunctionAsync($"(args) => ({ImageFingerprint})(args[0]) !== args[1]", new object[] { "stream-cam0", first },
            new PageWaitForFunctionOptions { Timeout = 30_000 });

        // A prediction appears.
        var topLabel = page.Locator("#topk li.row .label").First;
        await Assertions.Expect(topLabel).ToHaveTextAsync("Bag", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#badge-provider")).ToHaveTextAsync("CPU");

        // The HUD toggles are the daemon's elements in the daemon's state, and a click reaches it.
        await Assertions.Expect(page.Locator("#hud input[type=checkbox]")).ToHaveCountAsync(EdgeVision.Daemon.Options.HudElementNames.All.Count);
        await Assertions.Expect(page.Locator("#hud-reticle")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#hud-topK")).ToBeCheckedAsync();
        await page.Locator("label[for='hud-topK']").ClickAsync();
        await Assertions.Expect(page.Locator("#hud-topK")).Not.ToBeCheckedAsync();
        for (int i = 0; i < 100 && server.Control.Hud.GetValueOrDefault("topK", true); i++) await Task.Delay(50);
        Assert.False(server.Control.Hud["topK"]);

        // Switch the model.
        await page.Locator($"li.model[data-model='{FakeDaemonControl.OtherModel}'] button").ClickAsync();
        await Assertions.Expect(page.Locator($"li.model.active[data-model='{FakeDaemonControl.OtherModel}']"))
            .ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        Assert.Equal(FakeDaemonControl.OtherModel, server.Control.ActiveModel);

        // Capture with the button, then with the 'c' key.
        await page.Locator("#capture-label").FillAsync("Sneaker");
        await page.Locator("#capture-button").ClickAsync();
        await Assertions.Expect(page.Locator("#capture-counts li[data-label='Sneaker'] b")).ToHaveTextAsync("1");
        await page.Locator("#h-pred").ClickAsync(); // focus away from the text field so the key is a shortcut
        await page.Keyboard.PressAsync("c");
        await Assertions.Expect(page.Locator("#capture-counts li[data-label='Sneaker'] b")).ToHaveTextAsync("2");
        string[] files = Directory.GetFiles(Path.Combine(server.DatasetRoot, "train", "Sneaker"), "*.png");
        Assert.Equal(2, files.Length);

        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task Viewer_asks_for_the_token_once_and_then_streams()
    {
        const string token = "browser-token-0123456789abcdef";
        await using var server = await HttpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Http:RequireToken"] = "true",
            ["Http:Token"] = token,
        }, "cam0", "cam1");
        server.Control.SourceStates["cam1"] = "NoSignal";
        using var producer = server.CreateProducer();
        producer.Start(fps: 10);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var urls = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, request) => urls.Enqueue(request.Url);
        page.WebSocket += (_, socket) => urls.Enqueue(socket.Url);
        await page.GotoAsync(server.BaseAddress.ToString());

        await Assertions.Expect(page.Locator("#token-dialog")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        await page.Locator("#token-input").FillAsync(token);
        await page.Locator("#token-form button").ClickAsync();

        await Assertions.Expect(page.Locator("#topk li.row .label").First).ToHaveTextAsync("Bag", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => { const i = document.getElementById('stream-cam0'); return i && i.naturalWidth > 0; }",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        Assert.Equal(token, await page.EvaluateAsync<string>("() => sessionStorage.getItem('edgevision.token')"));
        // Frames and events come over the live WebSocket, authenticated with the HttpOnly session cookie, not a URL token.
        Assert.Contains(urls, u => u.EndsWith("/api/live", StringComparison.Ordinal) && u.StartsWith("ws://", StringComparison.Ordinal));
        Assert.DoesNotContain(urls, u => u.Contains("/stream/", StringComparison.Ordinal) || u.Contains("/api/events", StringComparison.Ordinal));
        Assert.DoesNotContain(urls, u => u.Contains(token, StringComparison.Ordinal));
        // Each tile shows its source's state from the status events.
        await Assertions.Expect(page.Locator("#state-cam0")).ToHaveTextAsync("live");
        await Assertions.Expect(page.Locator("#state-cam1")).ToHaveTextAsync("NO SIGNAL");
        Assert.Null(await page.EvaluateAsync<string?>("() => document.cookie || null"));
    }
}
