using System.Net;
using System.Net.Http.Json;
using EdgeVision.Daemon.Options;
using EdgeVision.Daemon.Http;

namespace EdgeVision.Daemon.Tests.Http;

public sealed class WriteRateLimitTests
{
    private static Dictionary<string, string?> Limit(int burst, int perSecond) => new()
    {
        ["Http:WriteRateLimitBurst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Http:WriteRateLimitPerSecond"] = perSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task A_burst_of_writes_beyond_the_limit_gets_429_with_Retry_After_and_a_reason()
    {
        await using var server = await HttpTestServer.StartAsync(Limit(burst: 5, perSecond: 1));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (int i = 0; i < 12; i++)
        {
            var response = await server.Client.PostAsJsonAsync("/api/hud", new { element = "reticle", visible = i % 2 == 0 });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && refused is null) refused = response;
            else response.Dispose();
        }

        // At most the burst plus what refilled while the loop ran (1 per second) got through; the rest were refused.
        Assert.InRange(statuses.Count(s => s != HttpStatusCode.TooManyRequests), 5, 7);
        Assert.All(statuses.Take(5), s => Assert.NotEqual(HttpStatusCode.TooManyRequests, s));
        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(refused!.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "no Retry-After in seconds");
            Assert.Contains("Http:WriteRateLimitBurst", await refused.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Every_write_endpoint_shares_the_budget_and_reads_are_never_limited()
    {
        await using var server = await HttpTestServer.StartAsync(Limit(burst: 3, perSecond: 1));
        using var producer = server.CreateProducer();
        producer.PublishNow(1);

        for (int i = 0; i < 3; i++) (await server.Client.PostAsJsonAsync("/api/hud", new { element = "fps", visible = true })).Dispose();
        using var capture = await server.Client.PostAsJsonAsync("/api/capture", new { source = "cam0", label = "Bag" });
        using var model = await server.Client.PostAsJsonAsync("/api/models/active", new { name = "x.onnx" });
        using var cancel = await server.Client.DeleteAsync("/api/teach/none");
        Assert.Equal(HttpStatusCode.TooManyRequests, capture.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, model.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, cancel.StatusCode);

        // With the write budget spent, 200 reads in a row are all served.
        foreach (string path in Enumerable.Repeat(new[] { "/api/status", "/api/hud", "/metrics", "/api/capture/counts", "/snapshot/cam0.jpg" }, 40).SelectMany(p => p))
        {
            using var read = await server.Client.GetAsync(path);
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"{path}: {(int)read.StatusCode}");
        }
    }

    [Fact]
    public async Task The_viewers_normal_use_at_the_default_limits_is_never_refused()
    {
        // What a person does in the viewer within a minute, at machine speed: open it (session), flip every HUD
        // toggle twice, switch models a few times, capture 30 frames for teaching, start and cancel a teach job.
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        producer.PublishNow(1);
        var writes = new List<Func<Task<HttpResponseMessage>>> { () => server.Client.PostAsync("/api/session", null) };
        foreach (string element in new[] { "hud", "reticle", "topK", "sourceName", "fps", "dropped", "accuracy", "model", "provider", "inferenceTime", "latency", "frameGraph" })
        {
            writes.Add(() => server.Client.PostAsJsonAsync("/api/hud", new { element, visible = false }));
            writes.Add(() => server.Client.PostAsJsonAsync("/api/hud", new { element, visible = true }));
        }
        for (int i = 0; i < 3; i++) writes.Add(() => server.Client.PostAsJsonAsync("/api/models/active", new { name = "missing.onnx" }));
        for (int i = 0; i < 30; i++) writes.Add(() => server.Client.PostAsJsonAsync("/api/capture", new { source = "cam0", label = "Bag" }));
        writes.Add(() => server.Client.PostAsJsonAsync("/api/teach", new { }));
        writes.Add(() => server.Client.DeleteAsync("/api/teach/none"));

        foreach (var write in writes)
        {
            using var response = await write();
            Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("WriteRateLimitBurst", "0")]
    [InlineData("WriteRateLimitPerSecond", "0")]
    [InlineData("WriteRateLimitPerSecond", "10001")]
    public void A_limit_outside_its_range_is_refused_at_start_naming_the_key(string key, string value)
    {
        var options = new HttpOptions();
        typeof(HttpOptions).GetProperty(key)!.SetValue(options, int.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        var result = new SectionValidator<HttpOptions>(HttpOptions.SectionName).Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains($"Http:{key} = {value} is outside 1..10000", result.FailureMessage);
    }
}
