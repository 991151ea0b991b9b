namespace EdgeVision.Daemon.Options;

/// <summary>Where the daemon keeps what it writes. Section <c>Daemon</c>.</summary>
public sealed class DaemonOptions
{
    public const string SectionName = "Daemon";

    /// <summary>
    /// Snapshots and captured frames go here. Null: $STATE_DIRECTORY (systemd's StateDirectory=), else
    /// ./state under the content root.
    /// </summary>
    public string? StateDirectory { get; set; }

    public string ResolveStateDirectory(string contentRoot) =>
        StateDirectory
        ?? Environment.GetEnvironmentVariable("STATE_DIRECTORY")?.Split(':')[0]
        ?? System.IO.Path.Combine(contentRoot, "state");
}
