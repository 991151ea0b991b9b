using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeVision.Core.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Inference;

/// <summary>
/// Where ONNX Runtime's TensorRT provider keeps engines for one model, under
/// <see cref="InferenceOptions.TensorRtEngineCachePath"/>:
/// <code>
///   ROOT/engines/KEY/        engines of one model content + engine-changing options (KEY = SHA-256 of both)
///   ROOT/engines/KEY/source.json   which file they were built from (path, size, write time, content hash)
///   ROOT/timing/             TensorRT's timing cache, shared: it holds kernel timings per layer shape, valid for any model
/// </code>
/// ORT names an engine by a hash of the graph's structure, not its weights, so a retrained model written over
/// the same path (hot reload, teaching) would load the old engine with the old weights. Keying the directory by the
/// file's bytes makes that impossible; directories of models no longer present, or overwritten, are pruned.
/// </summary>
public static class TensorRtEngineCache
{
    public const string EnginesDirectoryName = "engines";
    public const string TimingDirectoryName = "timing";
    public const string ManifestName = "source.json";

    private static readonly string OrtBuild = typeof(InferenceSession).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The directories given to the TensorRT provider for one session.</summary>
    /// <param name="EngineDirectory">Null when the model has no file (in memory only): its engines would outlive any way to prune them.</param>
    public sealed record Location(string? EngineDirectory, string TimingDirectory, string? Key);

    /// <summary>
    /// The options that change a built engine: precision flags, the device it was built for, the workspace limit that
    /// bounds tactic choice, and the ONNX Runtime (hence TensorRT) build that serialized it.
    /// </summary>
    public static string EngineOptions(InferenceOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"fp16={(o.TensorRtFp16 ? 1 : 0)};int8={(o.TensorRtInt8 ? 1 : 0)};device={o.DeviceId};workspace={o.TensorRtMaxWorkspaceBytes};ort={OrtBuild}");

    /// <summary>32 hex digits (128 bits) of SHA-256 over the model's SHA-256 and <see cref="EngineOptions"/>.</summary>
    public static string Key(string modelSha256, InferenceOptions o)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(modelSha256 + "\n" + EngineOptions(o)));
        return Convert.ToHexStringLower(digest)[..32];
    }

    public static string ContentHash(ReadOnlySpan<byte> model) => Convert.ToHexStringLower(SHA256.HashData(model));

    /// <summary>
    /// Creates (if needed) the engine directory for <paramref name="model"/> read from <paramref name="modelFile"/>
    /// (null: an in-memory model, timing cache only), records its source and prunes stale directories.
    /// </summary>
    public static Location Prepare(string root, byte[] model, string? modelFile, InferenceOptions options, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        string timing = Path.Combine(root, TimingDirectoryName);
        Directory.CreateDirectory(timing);
        if (modelFile is null) return new Location(null, timing, null);

        string fullModel = Path.GetFullPath(modelFile);
        string sha = ContentHash(model);
        string key = Key(sha, options);
        string engines = Path.Combine(root, EnginesDirectoryName);
        string directory = Path.Combine(engines, key);
        Directory.CreateDirectory(directory);
        WriteManifest(directory, new Manifest(fullModel, sha, EngineOptions(options), FileLength(fullModel), FileWriteTicks(fullModel)));
        Prune(engines, keep: key, logger, current: (fullModel, sha));
        return new Location(directory, timing, key);
    }

    /// <summary>
    /// Deletes every engine directory (but <paramref name="keep"/>) whose model file is gone or whose content is no
    /// longer what its engines were built from. Size and write time are compared first; the file is hashed only when
    /// they differ, so a merely touched model keeps its engines. A directory without a readable manifest is left
    /// alone (another process may be creating it). <paramref name="current"/>, the model being loaded, makes every
    /// directory built from an earlier content of the same path stale at once, whatever its size and write time say.
    /// Returns the keys pruned.
    /// </summary>
    public static IReadOnlyList<string> Prune(string enginesDirectory, string? keep, ILogger? logger = null, (string Path, string Sha256)? current = null)
    {
        logger ??= NullLogger.Instance;
        var pruned = new List<string>();
        if (!Directory.Exists(enginesDirectory)) return pruned;
        foreach (string directory in Directory.EnumerateDirectories(enginesDirectory))
        {
            string key = Path.GetFileName(directory);
            if (key == keep || ReadManifest(directory) is not { } manifest) continue;
            string? staleBecause = current is { } c && manifest.Model == c.Path && manifest.Sha256 != c.Sha256
                ? "was overwritten with another model"
                : StaleReason(manifest);
            if (staleBecause is null) continue;
            try
            {
                Directory.Delete(directory, recursive: true);
                pruned.Add(key);
                logger.LogInformation("TensorRT engine cache {Key} pruned: {Model} {Reason}", key, manifest.Model, staleBecause);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("TensorRT engine cache {Key} ({Model} {Reason}) could not be pruned: {Error}", key, manifest.Model, staleBecause, e.Message);
            }
        }
        return pruned;
    }

    private static string? StaleReason(Manifest m)
    {
        if (!File.Exists(m.Model)) return "no longer exists";
        if (FileLength(m.Model) == m.Length && FileWriteTicks(m.Model) == m.WriteTicks) return null;
        try
        {
            using var stream = File.OpenRead(m.Model);
            return Convert.ToHexStringLower(SHA256.HashData(stream)) == m.Sha256 ? null : "was overwritten with another model";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // unreadable now (being replaced?): decide on a later load
        }
    }

    private sealed record Manifest(string Model, string Sha256, string Options, long Length, long WriteTicks);

    private static void WriteManifest(string directory, Manifest manifest)
    {
        // Atomic: a reader (a concurrent prune) sees the old manifest or the new one, never half of one.
        AtomicFile.WriteText(Path.Combine(directory, ManifestName), JsonSerializer.Serialize(manifest));
    }

    private static Manifest? ReadManifest(string directory)
    {
        try
        {
            return JsonSerializer.Deserialize<Manifest>(File.ReadAllText(Path.Combine(directory, ManifestName)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : -1;

    private static long FileWriteTicks(string path) => File.Exists(path) ? File.GetLastWriteTimeUtc(path).Ticks : -1;
}
