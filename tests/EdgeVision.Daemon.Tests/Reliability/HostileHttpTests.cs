using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// Scenario 3: random hostile requests against every endpoint, slow and never-reading clients, more connections at
/// once than the limit → no 5xx but the documented 503s, memory bounded, the daemon serving at the end, and no
/// capture written outside the dataset root.
/// </summary>
public sealed class HostileHttpTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Random_hostile_requests_get_no_5xx_and_never_write_outside_the_dataset_root()
    {
        int count = ReliabilityScale.Pick(ci: 300, full: 10_000);
        // Writes unlimited here, so every request reaches its handler instead of the rate limiter.
        await using var daemon = await ReliabilityDaemon.StartAsync("--Http:WriteRateLimitBurst=10000", "--Http:WriteRateLimitPerSecond=10000");
        int port = daemon.Client.BaseAddress!.Port;
        var requests = new HostileRequests(seed: 3, source: "demo");
        var work = new ConcurrentQueue<byte[]>(Enumerable.Range(0, count).Select(_ => requests.Next()));
        var statuses = new ConcurrentDictionary<int, int>();
        var serverErrors = new ConcurrentQueue<string>();
        long memoryBefore = WorkingSet();

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (work.TryDequeue(out var request))
            {
                int status = await RawHttp.SendAsync(port, request, TimeSpan.FromSeconds(3));
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (status >= 500 && !(status == 503 && FirstLine(request).Contains("/readyz", StringComparison.Ordinal)))
                    serverErrors.Enqueue($"{status} for {FirstLine(request)}");
            }
        }));

        output.WriteLine($"{count} requests: " + string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{(kv.Key == 0 ? "closed" : kv.Key)} ×{kv.Value}")));
        output.WriteLine($"working set {memoryBefore / 1048576} → {WorkingSet() / 1048576} MB");
        Assert.True(serverErrors.IsEmpty, "5xx answers:\n" + string.Join("\n", serverErrors.Take(20)));
        await AssertServingAsync(daemon);

        // Nothing written outside <dataset>/train/<label>/: every file under the scratch directory is where it belongs.
        string train = Path.Combine(daemon.DatasetRoot, "train") + Path.DirectorySeparatorChar;
        var strays = Directory.EnumerateFiles(daemon.Scratch.Path, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(daemon.ModelsDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => !(f.StartsWith(train, StringComparison.Ordinal) && f.EndsWith(".png", StringComparison.Ordinal)))
            .Where(f => !f.StartsWith(daemon.Scratch.File("cache"), StringComparison.Ordinal))
            .ToList();
        Assert.True(strays.Count == 0, "files outside the dataset's train/<label>/: " + string.Join(", ", strays));
        Assert.All(Directory.Exists(train) ? Directory.GetDirectories(train) : [], d => Assert.DoesNotContain("..", Path.GetFileName(d)));
    }

    [Fact]
    public async Task Slow_never_reading_and_too_many_clients_are_cut_off_and_the_daemon_keeps_serving()
    {
        int connections = ReliabilityScale.Pick(ci: 500, full: 500);
        await using var daemon = await ReliabilityDaemon.StartAsync("--Http:MinResponseGraceSeconds=2", "--Http:StreamSendTimeoutSeconds=2");
        int port = daemon.Client.BaseAddress!.Port;
        var sockets = new List<Socket>();
        try
        {
            // Never-reading stream clients (a tiny receive window so the server's writes back up at once).
            for (int i = 0; i < 20; i++)
            {
                var s = Open(port, receiveBuffer: 1024);
                s.Send(Encoding.ASCII.GetBytes("GET /stream/demo HTTP/1.1\r\nHost: x\r\n\r\n"));
                sockets.Add(s);
            }
            // Slowloris: request headers one byte at a time, never finished.
            var slow = Enumerable.Range(0, 20).Select(_ => Open(port)).ToList();
            sockets.AddRange(slow);
            var slowSend = Task.Run(async () =>
            {
                byte[] head = Encoding.ASCII.GetBytes("GET /api/status HTTP/1.1\r\nHost: x\r\nX-Slow: ");
                for (int i = 0; i < head.Length + 20; i++)
                {
                    foreach (var s in slow)
                    {
                        try { s.Send([i < head.Length ? head[i] : (byte)'a']); } catch (SocketException) { }
                    }
                    await Task.Delay(250);
                }
            });

            // Many connections at once, each asking for /healthz: served, or refused by the connection limit — never a 5xx.
            var results = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ =>
                RawHttp.SendAsync(port, Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), TimeSpan.FromSeconds(30))));
            output.WriteLine($"{connections} at once: " + string.Join(", ", results.GroupBy(r => r).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "closed" : g.Key)} ×{g.Count()}")));
            Assert.DoesNotContain(results, r => r >= 500);
            Assert.Contains(results, r => r == 200);
            await slowSend;

            // The stuck stream clients are dropped by the send timeout.
            Assert.True(await Eventually.TrueAsync(async () => await daemon.MetricAsync("edgevision_stream_clients_dropped_total") >= 20, TimeSpan.FromSeconds(60)),
                $"stuck stream clients not dropped: {await daemon.MetricAsync("edgevision_stream_clients_dropped_total")}");
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
        await AssertServingAsync(daemon);
    }

    private static async Task AssertServingAsync(ReliabilityDaemon daemon)
    {
        int frames = daemon.Probe.Count;
        Assert.Equal("ok\n", await daemon.Client.GetStringAsync("/healthz"));
        using var status = await daemon.Client.GetAsync("/api/status");
        Assert.True(status.IsSuccessStatusCode, $"/api/status {(int)status.StatusCode}");
        Assert.True(await Eventually.TrueAsync((() => daemon.Probe.Count > frames + 5), TimeSpan.FromSeconds(30)), "frames stopped flowing");
    }

    private static Socket Open(int port, int receiveBuffer = 0)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer > 0) s.ReceiveBufferSize = receiveBuffer;
        s.Connect("127.0.0.1", port);
        return s;
    }

    private static string FirstLine(byte[] request)
    {
        string text = Encoding.Latin1.GetString(request, 0, Math.Min(request.Length, 200));
        int end = text.IndexOf('\r');
        return end < 0 ? text : text[..end];
    }

    private static long WorkingSet()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }
}
