using System.Diagnostics;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Tests.Host;
using EdgeVision.Daemon.Tests.Http;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Mqtt;

/// <summary>
/// /metrics read over HTTP after the production events it counts really happened: a good and a bad model reload,
/// a source that stalls and is reopened, a broker that goes away and comes back; and promtool accepts the text.
/// </summary>
public sealed class ScrapedHealthTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Metrics_after_real_reloads_a_source_outage_and_an_mqtt_reconnect_count_them_and_pass_promtool()
    {
        string? promtool = RepoPaths.Which("promtool");
        Skip.If(promtool is null, "promtool is not installed (Debian package prometheus; scripts/setup.sh installs it)");
        using var scratch = new Scratch();
        using var broker = MosquittoBroker.Start(scratch.Path);
        string models = Directory.CreateDirectory(scratch.File("models")).FullName;
        string model = TestModels.Tiny(models, "serving.onnx", classes: 6);
        // A stand-in for ffmpeg that writes five raw 320x240 frames and then hangs: the source stalls, is reopened.
        string hang = scratch.File("hang.sh");
        File.WriteAllText(hang, "#!/bin/sh\nhead -c 1152000 /dev/urandom\nexec sleep 600\n");
        File.SetUnixFileMode(hang, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var daemon = await InProcessDaemon.StartAsync(scratch.Path, model,
        [
            .. MqttDaemon.Args(broker.Port, "scraped"),
            "--Capture:Sources:1:Name=hang", "--Capture:Sources:1:Kind=Pipe", "--Capture:Sources:1:Uri=http://127.0.0.1:9/none",
            "--Capture:Sources:1:ProgramPath=" + hang, "--Capture:Sources:1:Width=320", "--Capture:Sources:1:Height=240",
            "--Capture:Sources:1:StallTimeout=00:00:00.5", "--Capture:Sources:1:BackoffInitial=00:00:00.2", "--Capture:Sources:1:BackoffMax=00:00:00.5",
        ]);
        using var http = new HttpClient { BaseAddress = daemon.Address, Timeout = Patience };
        async Task<Dictionary<string, PrometheusParser.Family>> Scrape() => PrometheusParser.Parse(await http.GetStringAsync("/metrics"));
        static double Value(Dictionary<string, PrometheusParser.Family> f, string name, string? label = null, string? value = null) =>
            f.TryGetValue(name, out var family) ? family.Samples.Where(s => label is null || s.Labels.GetValueOrDefault(label) == value).Select(s => s.Value).DefaultIfEmpty(double.NaN).Single() : double.NaN;
        async Task Until(Func<Dictionary<string, PrometheusParser.Family>, bool> condition, string what)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Patience)
            {
                if (condition(await Scrape())) return;
                await Task.Delay(200);
            }
            Assert.Fail(what + " never showed on /metrics");
        }

        Assert.True(await daemon.Probe.WaitForAsync(s => s.Any(f => f.Source == "demo" && f.ClassCount == 6), Patience), "no frames");
        await Until(f => Value(f, "edgevision_mqtt_connected") == 1, "the MQTT connection");

        TestModels.ReplaceAtomically(model, classes: 4, seed: 11);
        await Until(f => Value(f, "edgevision_model_reloads_total", "result", "ok") == 1, "a good reload");
        File.WriteAllBytes(model, TestModels.WrongContract());
        await Until(f => Value(f, "edgevision_model_reloads_total", "result", "failed") >= 1, "a failed reload");

        await Until(f => Value(f, "edgevision_source_reconnects_total", "source", "hang") >= 2, "the stalled source's reopens");

        broker.Stop();
        await Until(f => Value(f, "edgevision_mqtt_connected") == 0, "the lost broker");
        broker.Start();
        await Until(f => Value(f, "edgevision_mqtt_reconnects_total") >= 1 && Value(f, "edgevision_mqtt_connected") == 1, "the MQTT reconnect");

        string text = await http.GetStringAsync("/metrics");
        var families = PrometheusParser.Parse(text);
        Assert.Equal(1, Value(families, "edgevision_source_up", "source", "demo"));
        Assert.Equal(0, Value(families, "edgevision_source_reconnects_total", "source", "demo"));
        Assert.InRange(Value(families, "edgevision_source_last_frame_age_seconds", "source", "demo"), 0, 10);
        Assert.True(Value(families, "edgevision_source_last_frame_age_seconds", "source", "hang") >= 0);
        Assert.True(Value(families, "edgevision_mqtt_messages_published_total", "kind", "state") >= 1);
        Assert.True(Value(families, "edgevision_mqtt_connect_failures_total") >= 1);
        Assert.Equal(1, Value(families, "edgevision_model_reloads_total", "result", "ok"));

        string file = scratch.File("metrics.txt");
        File.WriteAllText(file, text);
        var (code, lint) = Run(promtool!, "check", "metrics", file);
        output.WriteLine(lint);
        Assert.True(code == 0, "promtool check metrics failed:\n" + lint);
    }

    private static (int Code, string Output) Run(string program, string verb, string sub, string input)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(verb);
        info.ArgumentList.Add(sub);
        using var p = Process.Start(info)!;
        p.StandardInput.Write(File.ReadAllText(input));
        p.StandardInput.Close();
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr);
    }
}
