using System.Text.Json;
using EdgeVision.Teaching.Tests;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// Scenario 4: the dataset root, the taught directory and the feature cache on a full 1 MB tmpfs, and a models
/// directory that goes away → clear errors, no partial file, the daemon serving throughout.
/// </summary>
public sealed class ResourceExhaustionTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Capture_and_teach_on_a_full_filesystem_fail_with_a_clear_error_and_leave_no_partial_file()
    {
        string mountPoint = Path.Combine(Path.GetTempPath(), "ev-full-" + Guid.NewGuid().ToString("N")[..8]);
        using var full = TinyFilesystem.TryMount(mountPoint, out string? whyNot);
        Skip.If(full is null, whyNot);
        try
        {
            string dataset = Path.Combine(mountPoint, "dataset");
            CaptureImages.WriteDataset(dataset, perLabel: 5, labels: ["disc", "stripes"]);
            await using var daemon = await ReliabilityDaemon.StartAsync("--Http:DatasetRoot=" + dataset,
                "--Teach:Directory=" + Path.Combine(mountPoint, "taught"), "--Teach:CacheDirectory=" + Path.Combine(mountPoint, "cache"));
            full!.Fill();
            string[] before = Files(mountPoint);

            var (status, body) = await daemon.PostJsonAsync("/api/capture", new { source = "demo", label = "disc" });
            output.WriteLine($"capture on a full filesystem: {status} {body}");
            Assert.Equal(507, status);
            Assert.Contains("could not be written", body);

            var (started, job) = await daemon.PostJsonAsync("/api/teach", new { });
            Assert.True(started == 202, $"teach: {started} {job}");
            string id = JsonDocument.Parse(job).RootElement.GetProperty("id").GetString()!;
            JsonElement done = default;
            Assert.True(await Eventually.TrueAsync(async () =>
            {
                done = await daemon.GetJsonAsync($"/api/teach/{id}");
                return done.GetProperty("state").GetString() != "running";
            }, TimeSpan.FromSeconds(120)), "the teach job never finished");
            output.WriteLine($"teach on a full filesystem: {done}");
            Assert.Equal("failed", done.GetProperty("state").GetString());
            Assert.Contains("space", done.GetProperty("error").GetString() ?? "", StringComparison.OrdinalIgnoreCase);

            // Nothing half-written anywhere on the filesystem, and the daemon still classifies frames.
            Assert.Equal(before, Files(mountPoint));
            int frames = daemon.Probe.Count;
            Assert.True(await Eventually.TrueAsync(() => daemon.Probe.Count > frames + 5, TimeSpan.FromSeconds(30)), "frames stopped");
        }
        finally
        {
            full?.Dispose();
            try { Directory.Delete(mountPoint, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_models_directory_that_becomes_unreadable_gets_clear_errors_and_the_serving_model_stays()
    {
        await using var daemon = await ReliabilityDaemon.StartAsync("--Model:Watch=false");
        string active = daemon.ActiveModelPath;
        string moved = daemon.Scratch.File("models-away");
        // Root reads through any mode bits, so as root the directory is replaced by a plain file (ENOTDIR on
        // every read); otherwise its permissions are taken away (EACCES).
        bool root = Environment.UserName == "root";
        if (root)
        {
            Directory.Move(daemon.ModelsDirectory, moved);
            await File.WriteAllTextAsync(daemon.ModelsDirectory, "not a directory");
        }
        else
        {
            File.SetUnixFileMode(daemon.ModelsDirectory, UnixFileMode.None);
        }
        try
        {
            using var list = await daemon.Client.GetAsync("/api/models");
            string listBody = await list.Content.ReadAsStringAsync();
            output.WriteLine($"GET /api/models: {(int)list.StatusCode} {listBody}");
            Assert.True((int)list.StatusCode < 500, $"GET /api/models: {(int)list.StatusCode} {listBody}");

            var (status, body) = await daemon.PostJsonAsync("/api/models/active", new { name = ReliabilityDaemon.ActiveModel });
            output.WriteLine($"POST /api/models/active: {status} {body}");
            Assert.InRange(status, 400, 499);
            Assert.Contains("models directory", body); // why nothing is listed, not just "available: none"

            var model = (await daemon.GetJsonAsync("/api/status")).GetProperty("model");
            Assert.Equal(ReliabilityDaemon.ActiveModel, model.GetProperty("name").GetString());
            int frames = daemon.Probe.Count;
            Assert.True(await Eventually.TrueAsync(() => daemon.Probe.Count > frames + 5, TimeSpan.FromSeconds(30)), "frames stopped");
        }
        finally
        {
            if (root)
            {
                File.Delete(daemon.ModelsDirectory);
                Directory.Move(moved, daemon.ModelsDirectory);
            }
            else
            {
                File.SetUnixFileMode(daemon.ModelsDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        Assert.True(File.Exists(active));
    }

    private static string[] Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToArray();
}
