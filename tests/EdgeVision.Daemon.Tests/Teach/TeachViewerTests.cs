using EdgeVision.Daemon.Tests.Host;
using EdgeVision.Daemon.Tests.Http;
using Microsoft.Playwright;

namespace EdgeVision.Daemon.Tests.Teach;

/// <summary>The Teach panel in Debian's chromium on the real daemon: capture in the page, Train, the progress bar, the taught model serving.</summary>
[Collection(TeachCollection.Name)]
public sealed class TeachViewerTests
{
    [Fact]
    public async Task Capturing_and_pressing_Train_in_the_viewer_shows_progress_and_the_taught_model_becoming_active()
    {
        Assert.True(File.Exists(BrowserViewerTests.Chromium), "Debian's chromium is expected at /usr/bin/chromium (scripts/setup.sh installs it)");
        await using var daemon = await TeachDaemon.StartAsync(["disc", "stripes"], "--Teach:Nice=0");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserViewerTests.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        await page.GotoAsync(daemon.Client.BaseAddress!.ToString());
        await page.WaitForFunctionAsync("() => { const i = document.getElementById('stream-stripes'); return i && i.naturalWidth > 0; }",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#teach-button")).ToBeDisabledAsync();

        foreach (string label in new[] { "disc", "stripes" })
        {
            await page.Locator("#capture-source").SelectOptionAsync(label);
            await page.Locator("#capture-label").FillAsync(label);
            for (int i = 1; i <= 5; i++)
            {
                await page.Locator("#capture-button").ClickAsync();
                await Assertions.Expect(page.Locator($"#capture-counts li[data-label='{label}'] b")).ToHaveTextAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await page.WaitForTimeoutAsync(60);
            }
        }
        var slow = new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 };
        await Assertions.Expect(page.Locator("#teach-counts li[data-label='stripes'] b")).ToHaveTextAsync("5", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#teach-button")).ToBeEnabledAsync(new LocatorAssertionsToBeEnabledOptions { Timeout = 30_000 });

        await page.Locator("#teach-name").FillAsync("from-the-viewer");
        await page.Locator("#teach-button").ClickAsync();
        await Assertions.Expect(page.Locator("#teach-progress")).ToBeVisibleAsync(slow);
        await Assertions.Expect(page.Locator("#teach-button")).ToBeDisabledAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('teach-progress').value > 0", null, new PageWaitForFunctionOptions { Timeout = 120_000 });

        var done = page.Locator("#teach-status[data-state='completed']");
        await Assertions.Expect(done).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 300_000 });
        await Assertions.Expect(done).ToContainTextAsync("taught/from-the-viewer.onnx now serving");
        Assert.Equal(100, await page.EvaluateAsync<double>("() => document.getElementById('teach-progress').value"));
        await Assertions.Expect(page.Locator("li.model.active[data-model='taught/from-the-viewer.onnx']")).ToBeVisibleAsync(slow);
        await Assertions.Expect(page.Locator("#badge-model")).ToContainTextAsync("taught/from-the-viewer.onnx", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#topk li.row .label").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(disc|stripes)$"),
            new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });

        string screenshot = Environment.GetEnvironmentVariable("EDGEVISION_WRITE_DOCS") == "1"
            ? Path.Combine(RepoPaths.Root, "docs", "teach.png")
            : daemon.Scratch.File("teach.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        Assert.Empty(consoleErrors);
    }
}
