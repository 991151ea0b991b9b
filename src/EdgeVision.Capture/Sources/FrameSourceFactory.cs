namespace EdgeVision.Capture;

/// <summary>Creates the <see cref="FrameSource"/> for a source's options; called for every (re)open.</summary>
public static class FrameSourceFactory
{
    public static FrameSource Create(SourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            SourceKind.Camera => new CameraSource(options),
            SourceKind.File => new VideoFileSource(options),
            SourceKind.Folder => new ImageFolderSource(options),
            SourceKind.Pipe => new ProcessPipeSource(options),
            SourceKind.Demo => new DemoSource(options),
            _ => throw new SourceException($"source '{options.Name}': unknown kind {options.Kind}"),
        };
    }
}
