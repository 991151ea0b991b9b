using System.Net;
using OpenCvSharp;

namespace EdgeVision.Daemon.Tests.Http;

public sealed class MjpegStreamTests
{
    private static async Task<List<byte[]>> ReadPartsAsync(HttpClient client, string path, int count, List<IReadOnlyDictionary<string, string>>? headers = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("multipart/x-mixed-replace", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl!.ToString());
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var reader = new MjpegPartReader(stream);
        var parts = new List<byte[]>();
        for (int i = 0; i < count; i++)
        {
            var (partHeaders, body) = await reader.ReadPartAsync(timeout.Token);
            Assert.Equal("image/jpeg", partHeaders["Content-Type"]);
            headers?.Add(partHeaders);
            parts.Add(body);
        }
        return parts;
    }

    [Fact]
    public async Task Stream_parts_are_the_published_annotated_jpegs_byte_for_byte_and_decode()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        producer.Start(fps: 20);

        var parts = await ReadPartsAsync(server.Client, "/stream/cam0", 8);

        foreach (var part in parts)
        {
            Assert.Contains(producer.Jpegs, jpeg => jpeg.AsSpan().SequenceEqual(part));
            using var image = Cv2.ImDecode(part, ImreadModes.Color);
            Assert.False(image.Empty());
            Assert.Equal(320, image.Width);
            Assert.Equal(240, image.Height);
        }
        Assert.True(parts.Distinct(new BytesComparer()).Count() > 1, "the stream should show the frames changing");
    }

    [Fact]
    public async Task Width_parameter_is_capped_by_the_server_and_scaled_with_the_aspect_ratio()
    {
        await using var server = await HttpTestServer.StartAsync(new Dictionary<string, string?> { ["Http:MaxStreamWidth"] = "256" });
        using var producer = server.CreateProducer(width: 640, height: 480);
        producer.Start(fps: 20);

        var huge = await ReadPartsAsync(server.Client, "/stream/cam0?width=100000", 2);
        var small = await ReadPartsAsync(server.Client, "/stream/cam0?width=130", 2);

        using (var image = Cv2.ImDecode(huge[^1], ImreadModes.Color))
        {
            Assert.Equal(256, image.Width);
            Assert.Equal(192, image.Height);
        }
        using (var image = Cv2.ImDecode(small[^1], ImreadModes.Color))
        {
            Assert.Equal(128, image.Width);
            Assert.Equal(96, image.Height);
        }
    }

    [Fact]
    public async Task Fps_parameter_limits_how_many_frames_a_client_receives()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        producer.Start(fps: 30);
        var headers = new List<IReadOnlyDictionary<string, string>>();

        await ReadPartsAsync(server.Client, "/stream/cam0?fps=4", 5, headers);

        // At 4 fps from a 30 fps source, consecutive parts must be several source frames apart.
        var sequences = headers.Select(h => long.Parse(h["X-Frame-Sequence"])).ToArray();
        var gaps = sequences.Zip(sequences.Skip(1), (a, b) => b - a).ToArray();
        Assert.All(gaps, gap => Assert.True(gap >= 3, $"gap of {gap} frames between parts at ?fps=4 of a 30 fps source"));
    }

    [Fact]
    public async Task Raw_stream_carries_the_unannotated_frames()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        producer.Start(fps: 20);

        var parts = await ReadPartsAsync(server.Client, "/stream/cam0/raw", 3);

        using var image = Cv2.ImDecode(parts[^1], ImreadModes.Color);
        Assert.Equal(320, image.Width);
        // The raw frames are flat colour; the annotated ones carry a bright rectangle and text.
        Cv2.MeanStdDev(image, out _, out var stddev);
        Assert.True(stddev.Val0 < 8 && stddev.Val1 < 8 && stddev.Val2 < 8, $"raw frame has structure (stddev {stddev})");
        Assert.DoesNotContain(producer.Jpegs, jpeg => jpeg.AsSpan().SequenceEqual(parts[^1]));
    }

    [Fact]
    public async Task Snapshot_returns_the_newest_annotated_jpeg()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        producer.PublishNow(3);

        using var response = await server.Client.GetAsync("/snapshot/cam0.jpg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(producer.Jpegs[2], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Raw_snapshot_is_the_hosts_raw_frame_encoded_on_request()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        producer.PublishNow(2);

        using var response = await server.Client.GetAsync("/snapshot/cam0/raw.jpg");
        using var image = Cv2.ImDecode(await response.Content.ReadAsByteArrayAsync(), ImreadModes.Color);
        using var raw = new Mat();
        producer.CopyRaw(raw);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Cv2.Norm(image, raw, NormTypes.INF) < 8, "the raw snapshot differs from the raw frame beyond JPEG error");
    }

    [Fact]
    public async Task Client_connecting_before_the_first_frame_receives_frames_once_they_flow()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        using var snapshotBefore = await server.Client.GetAsync("/snapshot/cam0.jpg");
        var reading = ReadPartsAsync(server.Client, "/stream/cam0", 2);
        await Task.Delay(300);

        producer.Start(fps: 20);
        var parts = await reading;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, snapshotBefore.StatusCode);
        Assert.Equal(2, parts.Count);
        Assert.Contains(producer.Jpegs, jpeg => jpeg.AsSpan().SequenceEqual(parts[0]));
    }

    [Fact]
    public async Task Stream_clients_beyond_the_limit_get_429_with_the_reason()
    {
        await using var server = await HttpTestServer.StartAsync(new Dictionary<string, string?> { ["Http:MaxStreamClients"] = "2" });
        using var producer = server.CreateProducer();
        producer.Start(fps: 10);
        using var first = await server.Client.GetAsync("/stream/cam0", HttpCompletionOption.ResponseHeadersRead);
        using var second = await server.Client.GetAsync("/stream/cam0/raw", HttpCompletionOption.ResponseHeadersRead);

        using var third = await server.Client.GetAsync("/stream/cam0", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Contains("MaxStreamClients", await third.Content.ReadAsStringAsync());
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
