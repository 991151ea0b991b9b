using System.Runtime.InteropServices;
using System.Security.Cryptography;
using EdgeVision.Core.IO;

namespace EdgeVision.Teaching;

/// <summary>
/// Backbone features of captured images, one small file per image content (SHA-256 of the file's bytes) under
/// <c>&lt;directory&gt;/&lt;backbone&gt;/</c>: a second Train embeds only the captures it has not seen, and a renamed or
/// copied capture is still a hit. Entries are written to a temporary name and renamed, so a crash mid-write
/// leaves no entry rather than a wrong one; an entry of the wrong size is a miss and is rewritten.
/// </summary>
public sealed class FeatureCache
{
    private readonly string _directory;
    private readonly int _featureCount;

    /// <param name="backboneKey">Names the backbone (and anything else that changes its features) so two never share entries.</param>
    public FeatureCache(string directory, string backboneKey, int featureCount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(backboneKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        _directory = Path.Combine(Path.GetFullPath(directory), backboneKey);
        _featureCount = featureCount;
    }

    public string Directory => _directory;

    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public bool TryGet(string hash, out float[] features)
    {
        features = [];
        string path = PathOf(hash);
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length != _featureCount * sizeof(float)) return false;
            features = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Stores an entry; a cache that cannot be written (disk full, read-only) only costs the next Train time, so IO errors are returned, not thrown.</summary>
    public IOException? Put(string hash, ReadOnlySpan<float> features)
    {
        if (features.Length != _featureCount)
            throw new ArgumentException($"{features.Length} features given, the cache holds {_featureCount}", nameof(features));
        string path = PathOf(hash);
        byte[] bytes = MemoryMarshal.AsBytes(features).ToArray();
        try
        {
            // Not durable: an entry a power cut leaves empty or short is the wrong size, a miss, and is recomputed.
            AtomicFile.WriteBytes(path, bytes, durable: false);
            return null;
        }
        catch (IOException e)
        {
            return e;
        }
    }

    private string PathOf(string hash)
    {
        if (hash.Length < 8 || !hash.All(char.IsAsciiHexDigitLower)) throw new ArgumentException($"'{hash}' is not a lower-case hex content hash", nameof(hash));
        return Path.Combine(_directory, hash[..2], hash + ".f32");
    }
}
