using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeVision.Daemon.Tests.Host;

namespace EdgeVision.Daemon.Tests.Mqtt;

/// <summary>
/// A real Debian mosquitto on loopback ports, configured by the test: a plain listener (for the test's subscriber)
/// and optionally a TLS listener with certificates from a <see cref="TestCa"/>, and optionally a password file.
/// Stop and Start again keep the ports, so a daemon can reconnect to the same address.
/// </summary>
internal sealed class MosquittoBroker : IDisposable
{
    private readonly string _config;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    private Process? _process;

    private MosquittoBroker(string config, int port, int? tlsPort)
    {
        _config = config;
        Port = port;
        TlsPort = tlsPort;
    }

    public static string? Executable =>
        File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : RepoPaths.Which("mosquitto");

    /// <summary>Skips the calling test (reported as skipped) when mosquitto is not installed.</summary>
    public static void SkipIfMissing() =>
        Skip.If(Executable is null, "mosquitto is not installed (scripts/setup.sh installs it): the MQTT tests need a real broker");

    public int Port { get; }
    public int? TlsPort { get; }
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public static MosquittoBroker Start(string directory, (string User, string Password)? auth = null, TestCa? tls = null)
    {
        SkipIfMissing();
        int port = FreePort();
        int? tlsPort = tls is null ? null : FreePort();
        var lines = new List<string>
        {
            // As root mosquitto drops to the 'mosquitto' user, which cannot read the test's key and password files.
            Environment.UserName == "root" ? "user root" : "",
            "per_listener_settings false",
            "persistence false",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            $"listener {port} 127.0.0.1",
        };
        if (tls is not null)
        {
            lines.Add($"listener {tlsPort} 127.0.0.1");
            lines.Add($"cafile {tls.CaCertificate}");
            lines.Add($"certfile {tls.ServerCertificate}");
            lines.Add($"keyfile {tls.ServerKey}");
        }
        if (auth is { } a)
        {
            string passwords = Path.Combine(directory, "passwords");
            Run("mosquitto_passwd", "-b", "-c", passwords, a.User, a.Password);
            lines.Add("allow_anonymous false");
            lines.Add($"password_file {passwords}");
        }
        else
        {
            lines.Add("allow_anonymous true");
        }
        string config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllLines(config, lines);
        var broker = new MosquittoBroker(config, port, tlsPort);
        broker.Start();
        return broker;
    }

    public void Start()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("mosquitto is already running");
        var info = new ProcessStartInfo(Executable!) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(_config);
        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited) throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}; config {_config}:\n{string.Join('\n', _log)}");
            if (Accepts(Port)) return;
            Thread.Sleep(50);
        }
        throw new TimeoutException("mosquitto did not listen on port " + Port);
    }

    /// <summary>Kills the broker (no goodbye to clients: what a crash or a power cut looks like).</summary>
    public void Stop()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>User plus system CPU seconds of the running broker, from /proc.</summary>
    public double CpuSeconds()
    {
        string[] fields = File.ReadAllText($"/proc/{_process!.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    public void Dispose() => Stop();

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string error = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({p.ExitCode}): {error}");
    }
}
