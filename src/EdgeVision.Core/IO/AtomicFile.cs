using System.Text;

namespace EdgeVision.Core.IO;

/// <summary>
/// The one way the code base publishes a file: written to a hidden temporary file in the target's directory, flushed
/// to disk, then renamed over the target. A reader (the daemon's model watcher, a catalog, a prune, a person) sees the
/// old file or the whole new one, never half of one; a failed write deletes the temporary file and leaves the old one.
/// </summary>
public static class AtomicFile
{
    /// <summary>The temporary files' ending: a start-up sweep of <c>.*.tmp</c> finds what a crash left.</summary>
    public const string TemporaryExtension = ".tmp";

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark (as <see cref="File.WriteAllText(string, string)"/> does).</summary>
    public static void WriteText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, Utf8, leaveOpen: true);
        writer.Write(text);
    });

    public static void WriteBytes(string path, byte[] bytes, bool overwrite = true, bool durable = true) =>
        Write(path, stream => stream.Write(bytes), overwrite, durable: durable);

    /// <summary>Publishes what <paramref name="write"/> writes to the stream as <paramref name="path"/>.</summary>
    /// <param name="overwrite">False: an existing <paramref name="path"/> is an <see cref="IOException"/> and stays as it was.</param>
    /// <param name="openTemporary">Opens the temporary file (tests inject a stream that fails like a full disk).</param>
    /// <param name="durable">
    /// False skips the flush to disk: for a cache whose every entry is checked when read, where an fsync per entry
    /// (4 ms on this VM's disk, more on an SD card) would cost more than recomputing the rare entry a power cut empties.
    /// </param>
    public static void Write(string path, Action<Stream> write, bool overwrite = true, Func<string, Stream>? openTemporary = null, bool durable = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory", nameof(path));
        // Same directory: a rename within one file system is atomic; hidden and unique: no watcher or second writer takes it.
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}{TemporaryExtension}");
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = (openTemporary ?? OpenTemporary)(temp))
            {
                write(stream);
                if (stream is FileStream file) file.Flush(flushToDisk: durable);
                else stream.Flush();
            }
            File.Move(temp, full, overwrite);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static Stream OpenTemporary(string path) => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);

    private static void TryDelete(string temp)
    {
        // The write's own exception is the one to report; a temporary file that cannot be removed is swept at the next start.
        try { File.Delete(temp); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
