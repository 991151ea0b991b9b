using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using EdgeVision.Daemon.Http;

namespace EdgeVision.Daemon.Diagnostics;

/// <summary>
/// <c>edgevisiond --bench-viewer</c> (arguments: <see cref="ViewerBenchCommand"/>):
/// what one viewer of eight sources costs the daemon, as the old page watched them (one MJPEG stream per tile) and
/// over the live WebSocket (grid tiles scaled and capped, the focused one full). The daemon runs as a child process
/// so its CPU time is its own; bytes are the daemon's <c>edgevision_stream_bytes_sent_total</c>. Prints a Markdown
/// section and appends it to --bench-out.
/// </summary>
public static class ViewerBenchmark
{
    public const int Sources = 8;

    /// <summary>A grid tile of the viewer's 3-column layout at 1440×900 (the browser test's viewport), in device pixels.</summary>
    public const int GridWidth = 352;

    /// <summary>viewer-stream.js LIVE_GRID_FPS.</summary>
    public const int GridFps = 10;

    public static async Task<int> RunAsync(ViewerBenchSettings settings)
    {
        var c = CultureInfo.InvariantCulture;
        var (seconds, rounds, sourceFps, output) = (settings.Seconds, settings.Rounds, settings.SourceFps, settings.Output);

        int port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        using var daemon = StartDaemon(port, sourceFps);
        try
        {
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            await WaitReadyAsync(http, daemon);
            await Task.Delay(TimeSpan.FromSeconds(3)); // sources, sessions and JIT settle

            var scenarios = new (string Name, Func<Uri, CancellationToken, Counter, Task> Run)[]
            {
                ("no viewer", NoViewer),
                ($"MJPEG, 8 `<img>` at full size and rate (the old page; a browser gets only 6 of them)", (a, ct, n) => MjpegTilesAsync(a, ct, n, scaledGrid: false)),
                ($"MJPEG, 7 at `?width={GridWidth}&fps={GridFps}` + 1 full (the grid's rates, 8 connections)", (a, ct, n) => MjpegTilesAsync(a, ct, n, scaledGrid: true)),
                ($"live WebSocket, 7 at width {GridWidth} / {GridFps} fps + 1 full (1 connection)", LiveAsync),
            };
            var results = scenarios.Select(_ => new List<Measurement>()).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                // Round-robin, each round starting one scenario later, so a drift of the machine is spread over all.
                for (int k = 0; k < scenarios.Length; k++)
                {
                    int i = (k + round) % scenarios.Length;
                    Console.Error.WriteLine($"bench-viewer: round {round + 1}/{rounds}: {scenarios[i].Name}");
                    results[i].Add(await MeasureAsync(daemon, http, baseAddress, seconds, scenarios[i].Run));
                }
            }

            var report = new StringBuilder();
            report.AppendLine(c, $"## Viewer: 8 sources × 1 viewer, MJPEG tiles vs the live WebSocket ({DateTime.UtcNow:yyyy-MM-dd})");
            report.AppendLine();
            report.AppendLine(c, $"Machine: {Environment.ProcessorCount} logical cores ({Environment.OSVersion.VersionString}, load average at start {LoadAverage()}), .NET {Environment.Version}, CPU execution provider. ");
            report.AppendLine(c, $"Command: `dotnet src/EdgeVision.Daemon/bin/Release/net10.0/edgevisiond.dll --bench-viewer --bench-seconds {seconds:0.#} --bench-rounds {rounds} --bench-source-fps {sourceFps} --bench-out docs/BENCHMARKS.md`. ");
            report.Append(c, $"The daemon runs as a child process with the shipped model and {Sources} demo sources (640×480, {sourceFps} fps each, `FrameLoop:TargetFps={sourceFps}`); ")
                .Append("the benchmark is the viewer, reading as fast as the daemon sends. Daemon CPU is the child's user + system time over the window ")
                .Append(c, $"({seconds:0.#} s; median of {rounds} rounds, scenarios round-robin); bytes are the daemon's `edgevision_stream_bytes_sent_total` ")
                .AppendLine("(JPEG and event payload; HTTP part headers included, WebSocket framing not). Frames are those the viewer received, all tiles together.");
            report.AppendLine();
            report.AppendLine("| viewer | connections | daemon CPU (cores) | above no viewer | bytes sent / s | frames received / s | range of CPU over rounds |");
            report.AppendLine("|---|---:|---:|---:|---:|---:|---|");
            double idle = Median(results[0].Select(m => m.Cores));
            int[] connections = [0, Sources, Sources, 1];
            for (int i = 0; i < scenarios.Length; i++)
            {
                var cores = results[i].Select(m => m.Cores).ToArray();
                string aboveIdle = i == 0 ? "–" : (Median(cores) - idle).ToString("+0.00;-0.00", c);
                report.Append(c, $"| {scenarios[i].Name} | {connections[i]} | {Median(cores):0.00} | {aboveIdle} | ")
                    .AppendLine(c, $"{FormatBytes(Median(results[i].Select(m => m.BytesPerSecond)))} | {Median(results[i].Select(m => m.FramesPerSecond)):0.0} | {cores.Min():0.00}–{cores.Max():0.00} |");
            }
            report.AppendLine();
            string text = report.ToString();
            Console.Write(text);
            if (output is not null) await File.AppendAllTextAsync(output, "\n" + text);
            return 0;
        }
        finally
        {
            if (!daemon.HasExited) daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync();
        }
    }

    private static readonly Func<Uri, CancellationToken, Counter, Task> NoViewer = (_, ct, _) => Task.Delay(Timeout.Infinite, ct);

    private sealed record Measurement(double Cores, double BytesPerSecond, double FramesPerSecond);

    /// <summary>Frames a scenario's clients received (several client tasks add to it).</summary>
    private sealed class Counter
    {
        private long _frames;
        public long Frames => Interlocked.Read(ref _frames);
        public void Add(long frames) => Interlocked.Add(ref _frames, frames);
    }

    private static async Task<Measurement> MeasureAsync(Process daemon, HttpClient http, Uri address, double seconds,
        Func<Uri, CancellationToken, Counter, Task> scenario)
    {
        using var stop = new CancellationTokenSource();
        var counter = new Counter();
        var running = scenario(address, stop.Token, counter);
        // Connected and streaming before the window opens (a loaded machine can take seconds to answer).
        for (int i = 0; i < 300 && counter.Frames == 0 && !running.IsCompleted && scenario != NoViewer; i++) await Task.Delay(100);
        if (running.IsFaulted) await running;
        await Task.Delay(TimeSpan.FromSeconds(1));
        daemon.Refresh();
        var cpuBefore = daemon.TotalProcessorTime;
        double bytesBefore = await BytesSentAsync(http);
        long framesBefore = counter.Frames;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        daemon.Refresh();
        var cpu = daemon.TotalProcessorTime - cpuBefore;
        double elapsed = clock.Elapsed.TotalSeconds;
        double bytes = await BytesSentAsync(http) - bytesBefore;
        long frames = counter.Frames - framesBefore;
        if (running.IsFaulted) await running; // a client failed inside the window: its error, not a wrong number
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or WebSocketException)
        {
            // Cut off at the window's end.
        }
        await Task.Delay(500); // the daemon lets go of the connections before the next scenario
        return new Measurement(cpu.TotalSeconds / elapsed, bytes / elapsed, frames / elapsed);
    }

    private static async Task MjpegTilesAsync(Uri address, CancellationToken ct, Counter counter, bool scaledGrid)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Sources }) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        await Task.WhenAll(Enumerable.Range(0, Sources).Select(async i =>
        {
            string path = scaledGrid && i > 0 ? $"/stream/cam{i}?width={GridWidth}&fps={GridFps}" : $"/stream/cam{i}";
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            // A part's headers go out in one write with its JPEG (the boundary after it waits for the next frame), so
            // they are found within one read; the boundary itself usually straddles two.
            byte[] partHeader = Encoding.ASCII.GetBytes("Content-Type: image/jpeg\r\nContent-Length: ");
            var buffer = new byte[64 << 10];
            while (true)
            {
                int read = await body.ReadAsync(buffer, ct);

                if (read == 0) return;
                var span = buffer.AsSpan(0, read);
                long parts = 0;
                for (int at; (at = span.IndexOf(partHeader)) >= 0; span = span[(at + partHeader.Length)..]) parts++;
                counter.Add(parts);
            }
        }));
    }

    private static async Task LiveAsync(Uri address, CancellationToken ct, Counter counter)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(address) { Scheme = "ws", Path = LiveEndpoints.Path }.Uri, ct);
        string streams = string.Join(",", Enumerable.Range(0, Sources).Select(i =>
            i == 0 ? """{"source":"cam0"}""" : $$"""{"source":"cam{{i}}","width":{{GridWidth}},"fps":{{GridFps}}}"""));
        await socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"streams":[{{streams}}],"events":true}"""), WebSocketMessageType.Text, true, ct);
        var buffer = new byte[64 << 10];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
            if (result.MessageType == WebSocketMessageType.Close) return;
            if (result.EndOfMessage && result.MessageType == WebSocketMessageType.Binary) counter.Add(1);
        }
    }

    private static async Task<double> BytesSentAsync(HttpClient http)
    {
        string metrics = await http.GetStringAsync("/metrics");
        double total = 0;
        foreach (string line in metrics.Split('\n'))
        {
            if (!line.StartsWith("edgevision_stream_bytes_sent_total{", StringComparison.Ordinal)) continue;
            total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return total;
    }

    private static Process StartDaemon(int port, int sourceFps)
    {
        string dll = typeof(ViewerBenchmark).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        if (Path.GetExtension(dll) == ".dll" && !Path.GetFileName(start.FileName).StartsWith("edgevisiond", StringComparison.Ordinal)) start.ArgumentList.Add(dll);
        string[] settings =
        [
            $"--Http:Port={port.ToString(CultureInfo.InvariantCulture)}", "--Window:Enabled=false", "--Model:Watch=false",
            $"--FrameLoop:TargetFps={sourceFps.ToString(CultureInfo.InvariantCulture)}", "--Logging:LogLevel:Default=Warning",
        ];
        foreach (string s in settings) start.ArgumentList.Add(s);
        for (int i = 0; i < Sources; i++)
        {
            start.ArgumentList.Add($"--Capture:Sources:{i}:Name=cam{i}");
            start.ArgumentList.Add($"--Capture:Sources:{i}:Kind=Demo");
            start.ArgumentList.Add($"--Capture:Sources:{i}:Fps={sourceFps.ToString(CultureInfo.InvariantCulture)}");
            start.ArgumentList.Add($"--Capture:Sources:{i}:DemoSeed={(i + 1).ToString(CultureInfo.InvariantCulture)}");
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.OutputDataReceived += (_, _) => { }; // drained, so a chatty daemon never blocks on a full pipe
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(HttpClient http, Process daemon)
    {
        for (int i = 0; i < 600; i++)
        {
            if (daemon.HasExited) throw new InvalidOperationException($"the daemon exited with code {daemon.ExitCode} before it was ready");
            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the daemon was not ready within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string FormatBytes(double perSecond) =>
        perSecond >= 1 << 20 ? $"{perSecond / (1 << 20):0.00} MB" : $"{perSecond / 1024:0} KB";
}
