using EdgeVision.Daemon.Tests.Host;

namespace EdgeVision.Daemon.Tests.Mqtt;

/// <summary>Command-line arguments of a daemon with one demo source publishing to a test broker.</summary>
internal static class MqttDaemon
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static string[] Args(int port, string device, params string[] extra) =>
    [
        "--Capture:Sources:0:Name=demo",
        "--Capture:Sources:0:Kind=Demo",
        "--Capture:Sources:0:Fps=20",
        "--Capture:Sources:0:Width=160",
        "--Capture:Sources:0:Height=120",
        // A new demo image every 0.3 s: the top-1 changes often, so state messages flow.
        "--Capture:Sources:0:DemoImageDuration=00:00:00.3",
        "--FrameLoop:SmoothingHalfLifeSeconds=0",
        "--FrameLoop:HysteresisMargin=0",
        "--Mqtt:Host=127.0.0.1",
        "--Mqtt:Port=" + port,
        "--Mqtt:Device=" + device,
        "--Mqtt:MinInterval=00:00:00.2",
        "--Mqtt:StatusInterval=00:00:01",
        "--Mqtt:ReconnectInitial=00:00:00.2",
        "--Mqtt:ReconnectMax=00:00:01",
        .. extra,
    ];

    /// <summary>The shipped model when there is one (real labels change with the demo's images), else a tiny one.</summary>
    public static string Model(Scratch scratch) => File.Exists(RepoPaths.ShippedModel) ? RepoPaths.ShippedModel : TestModels.Tiny(scratch.Path);
}
