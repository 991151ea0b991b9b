using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeVision.Daemon.Tests.Host;
using EdgeVision.Inference;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Teaching;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Teach;

/// <summary>A teach job against the daemon's life: SIGTERM in the middle of one, and a taught model across a restart.</summary>
[Collection(TeachCollection.Name)]
public sealed partial class TeachLifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_during_a_teach_job_exits_within_five_seconds_and_leaves_no_model_file()
    {
        using var scratch = new Scratch();
        TeachScenes.WriteCaptures(scratch.File("dataset"), perLabel: 40, labels: ["disc", "stripes"]);
        using var daemon = DaemonProcess.Start(scratch.Path,
        [
            "--Model:Path=" + RepoPaths.ShippedModel, "--Model:Watch=false", "--Http:Port=0", "--Window:Enabled=false",
            "--Inference:Providers:0=CPU", .. DaemonArguments.StateUnder(scratch.Path), "--Teach:Nice=0", "--Teach:BatchSize=2",
            "--Capture:Sources:0:Name=demo", "--Capture:Sources:0:Kind=Demo",
        ]);
        try
        {
            Assert.True(daemon.WaitForOutput("Viewer: http", TimeSpan.FromSeconds(90)), daemon.Output);
            var url = ViewerUrl().Match(daemon.Output);
            Assert.True(url.Success, daemon.Output);
            using var client = new HttpClient { BaseAddress = new Uri(url.Groups[1].Value), Timeout = TimeSpan.FromSeconds(30) };
            using var started = await client.PostAsJsonAsync("/api/teach", new { name = "interrupted" });
            Assert.Equal(202, (int)started.StatusCode);
            string id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            for (int i = 0; i < 1200; i++)
            {
                var job = JsonDocument.Parse(await client.GetStringAsync($"/api/teach/{id}")).RootElement;
                if (job.GetProperty("phase").GetString() == "embedding" && job.GetProperty("embedded").GetInt32() > 0) break;
                Assert.Equal("running", job.GetProperty("state").GetString());
                await Task.Delay(50);
            }

            var exit = daemon.TerminateWithinFiveSeconds(" during a teach job");
            output.WriteLine($"exited {exit.TotalMilliseconds:F0} ms after SIGTERM");
            Assert.Equal(0, daemon.ExitCode);
            Assert.Contains("cancelling teach job", daemon.Output);
            string[] left = Directory.Exists(scratch.File("taught")) ? Directory.GetFiles(scratch.File("taught"), "*", SearchOption.AllDirectories) : [];
            Assert.Empty(left);
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    [Fact]
    public async Task A_taught_model_survives_a_restart_can_be_the_configured_default_and_is_switched_by_its_catalog_name()
    {
        using var seed = new Scratch();
        string taught = seed.File("taught");
        TeachScenes.WriteCaptures(seed.File("dataset"), perLabel: 5, labels: ["disc", "stripes"]);
        // A model taught earlier (as the previous run of the daemon would have left it).
        new Teacher(PretrainedBackbones.Load(PretrainedBackbones.ImageNet), new InferenceOptions { Providers = [ExecutionProviders.Cpu], WarmUp = false })
            .Teach(new TeachRequest { DatasetRoot = seed.File("dataset"), OutputPath = Path.Combine(taught, "mine.onnx") });
        File.WriteAllText(Path.Combine(taught, ".mine.onnx.0123.tmp"), "a write cut off by power loss");

        await using var daemon = await TeachDaemon.StartAsync(["disc"], "--Teach:Directory=" + taught, "--Model:Path=taught/mine.onnx");
        var status = await daemon.GetJsonAsync("/api/status");
        Assert.Equal("taught/mine.onnx", status.GetProperty("model").GetProperty("name").GetString());
        Assert.False(File.Exists(Path.Combine(taught, ".mine.onnx.0123.tmp")), "a stale temporary file was left in the taught directory");
        var models = (await daemon.GetJsonAsync("/api/models")).EnumerateArray().ToList();
        var mine = Assert.Single(models, m => m.GetProperty("name").GetString() == "taught/mine.onnx");
        Assert.Equal("taught", mine.GetProperty("origin").GetString());
        Assert.Equal(8, mine.GetProperty("taughtFrom").GetInt32());

        var (toShipped, _) = await daemon.PostJsonAsync("/api/models/active", new { name = "default.onnx" });
        Assert.Equal(200, toShipped);
        var (back, body) = await daemon.PostJsonAsync("/api/models/active", new { name = "taught/mine.onnx" });
        Assert.Equal(200, back);
        Assert.Equal("taught/mine.onnx", body.GetProperty("active").GetString());
        var (escape, _) = await daemon.PostJsonAsync("/api/models/active", new { name = "taught/../default.onnx" });
        Assert.Equal(400, escape);
    }

    [GeneratedRegex(@"Viewer: (http://[0-9.:]+/)")]
    private static partial Regex ViewerUrl();
}
