using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeVision.Capture;

/// <summary>
/// Raw BGR frames (Width×Height×3 bytes each) read from a child process's stdout: ffmpeg for network streams
/// and files, gst-launch-1.0 for CSI cameras. Reads straight into the frame's Mat; the child (and anything it
/// spawned) is killed on dispose or interrupt. The last stderr lines explain failures.
/// </summary>
public sealed class ProcessPipeSource : FrameSource
{
    private const int StderrLines = 8;
    private readonly SourceOptions _options;
    private readonly PipeCommand _command;
    private readonly Queue<string> _stderr = new();
    private Process? _process;
    private Stream? _stdout;

    public ProcessPipeSource(SourceOptions options)
        : this(options, PipeCommand.Build(options))
    {
    }

    public ProcessPipeSource(SourceOptions options, PipeCommand command)
        : base($"{command.FileName} {(options.Uri ?? options.Path ?? options.Pipeline ?? "CSI camera " + options.Device)}")
    {
        _options = options;
        _command = command;
    }

    public override bool IsLive => !(_options.Program == PipeProgram.Ffmpeg && string.IsNullOrWhiteSpace(_options.Uri) && !_options.Loop);

    public PipeCommand Command => _command;

    /// <summary>The child's process id while it runs (for tests and diagnostics).</summary>
    public int? ProcessId => _process is { } p ? p.Id : null;

    public override void Open(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            CreateNoWindow = true,
        };
        foreach (string argument in _command.Arguments) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.Enqueue(UrlRedactor.Redact(e.Data));
                while (_stderr.Count > StderrLines) _stderr.Dequeue();
            }
        };
        try
        {
            process.Start();
        }
        catch (Exception ex)
        {
            process.Dispose();
            throw new SourceException($"{Description}: cannot start {_command.FileName} (is it installed?)", ex);
        }
        process.BeginErrorReadLine();
        _process = process;
        _stdout = process.StandardOutput.BaseStream;
    }

    public override unsafe FrameReadStatus Read(CapturedFrame frame, CancellationToken cancellationToken)
    {
        var stdout = _stdout ?? throw new InvalidOperationException($"{Description} is not open");
        var image = frame.Image;
        if (image.Width != _options.Width || image.Height != _options.Height || image.Type() != OpenCvSharp.MatType.CV_8UC3 || !image.IsContinuous())
            image.Create(_options.Height, _options.Width, OpenCvSharp.MatType.CV_8UC3);
        int length = checked((int)PipeCommand.FrameBytes(_options));
        var buffer = new Span<byte>((void*)image.Data, length);
        int filled = 0;
        while (filled < length)
        {
            int n;
            try
            {
                n = stdout.Read(buffer[filled..]);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                if (cancellationToken.IsCancellationRequested) return FrameReadStatus.EndOfStream;
                throw new SourceException($"{Description}: reading the pipe failed", ex);
            }
            if (n == 0)
            {
                if (cancellationToken.IsCancellationRequested) return FrameReadStatus.EndOfStream;
                string why = ExitDescription();
                if (filled == 0 && why.Length == 0) return FrameReadStatus.EndOfStream;
                if (filled == 0 && !IsLive) return FrameReadStatus.EndOfStream;
                throw new SourceException($"{Description}: {_command.FileName} stopped{(filled > 0 ? $" mid-frame ({filled}/{length} bytes)" : "")}{why}");
            }
            filled += n;
        }
        return FrameReadStatus.Frame;
    }

    public override void Interrupt() => Kill();

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        Kill();
        _stdout = null;
        _process?.Dispose();
        _process = null;
    }

    private void Kill()
    {
        var process = _process;
        if (process is null) return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(2000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (SystemException) when (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            // The process exited between the check and the kill.
        }
    }

    private string ExitDescription()
    {
        var process = _process;
        if (process is null) return "";
        string code = "";
        try
        {
            if (process.WaitForExit(500)) code = $" with exit code {process.ExitCode}";
        }
        catch (InvalidOperationException)
        {
        }
        string lines;
        lock (_stderr) lines = string.Join(" | ", _stderr);
        return code + (lines.Length > 0 ? ": " + lines : "");
    }
}
