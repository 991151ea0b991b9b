using System.Text.Json;
using EdgeVision.Core.IO;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// Scenario 2: bad model files hot-reloaded over the serving file and requested through POST /api/models/active.
/// Each is refused with a reason (a bit flip that still loads may serve, as a valid model would), nothing crashes,
/// the previous model keeps serving and every frame is classified by a whole model.
/// </summary>
public sealed class BadModelTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_bad_model_is_refused_with_a_reason_while_the_previous_model_keeps_serving()
    {
        int count = ReliabilityScale.Pick(ci: BadModels.KindCount * 2, full: 200);
        await using var daemon = await ReliabilityDaemon.StartAsync();
        var bad = new BadModels(seed: 15);
        string outside = daemon.Scratch.File("outside");
        byte[] good = await File.ReadAllBytesAsync(daemon.ActiveModelPath);
        var refusedByKind = new Dictionary<string, int>();
        int accepted = 0;

        for (int i = 0; i < count; i++)
        {
            // Through the API: a bad file next to the active one, asked for by name.
            string name = $"bad-{i:D3}.onnx";
            string path = Path.Combine(daemon.ModelsDirectory, name);
            string kind = bad.Write(i, path, outside);
            var (status, body) = await daemon.PostJsonAsync("/api/models/active", new { name });
            File.Delete(path);
            Assert.True(status < 500, $"#{i} {kind}: POST /api/models/active answered {status} {body}");
            if (status == 200)
            {
                Assert.True(kind == BadModels.BitFlip, $"#{i} {kind} was accepted: {body}");
                accepted++;
                // Back to the good model: its file (a bad one from the last hot reload may be there), then by name.
                AtomicFile.WriteBytes(daemon.ActiveModelPath, good);
                Assert.Equal(200, (await daemon.PostJsonAsync("/api/models/active", new { name = ReliabilityDaemon.ActiveModel })).Status);
                await Task.Delay(1000); // the watcher's reload of the restored file, so it is not counted as the next one
            }
            else
            {
                string reason = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
                Assert.True(reason.Length > 20, $"#{i} {kind}: a reason a person can act on, not '{reason}'");
                refusedByKind[kind] = refusedByKind.GetValueOrDefault(kind) + 1;
                if (i < BadModels.KindCount) output.WriteLine($"{kind}: {status} {reason}");
            }

            // Hot reload: the same kind written over the serving file (temp + rename).
            double before = await daemon.MetricAsync("edgevision_model_reloads_total");
            string reloadKind = bad.Write(i, daemon.ActiveModelPath, outside);
            Assert.True(await Eventually.TrueAsync(async () => await daemon.MetricAsync("edgevision_model_reloads_total") > before, TimeSpan.FromSeconds(30)),
                $"#{i} {reloadKind}: no reload counted after the file changed");
            var model = (await daemon.GetJsonAsync("/api/status")).GetProperty("model");
            Assert.Equal(ReliabilityDaemon.ActiveModel, model.GetProperty("name").GetString());
        }

        int framesBeforeRestore = daemon.Probe.Count;
        double okBefore = await daemon.MetricAsync("edgevision_model_reloads_total", "ok");
        AtomicFile.WriteBytes(daemon.ActiveModelPath, good);
        Assert.True(await Eventually.TrueAsync(async () => await daemon.MetricAsync("edgevision_model_reloads_total", "ok") > okBefore, TimeSpan.FromSeconds(30)),
            "the good model written back was not reloaded");
        Assert.True(await Eventually.TrueAsync((() => daemon.Probe.Count > framesBeforeRestore + 5), TimeSpan.FromSeconds(30)), "frames stopped");

        // No frame was ever classified by a model with another label count (a half-loaded or contract-breaking one).
        Assert.All(daemon.Probe.All.Where(f => f.TopCount > 0), f => Assert.Equal(6, f.ClassCount));
        output.WriteLine($"{count} bad files x 2 paths; refused per kind: {string.Join(", ", refusedByKind.Select(kv => $"{kv.Key} {kv.Value}"))}; " +
                         $"bit flips that still loaded: {accepted}; frames {daemon.Probe.Count}; failed reloads {await daemon.MetricAsync("edgevision_model_reloads_total", "failed")}");
        foreach (string kind in refusedByKind.Keys.Where(k => k != BadModels.BitFlip)) Assert.True(refusedByKind[kind] >= 1);
        Assert.Equal(BadModels.KindCount - 1, refusedByKind.Keys.Count(k => k != BadModels.BitFlip));
    }
}
