namespace EdgeVision.Daemon.Dataset;

/// <summary>A labelled frame written to the dataset: where it went (absolute and relative to the root).</summary>
public sealed record SavedLabelledFrame(string Label, string FullPath, string RelativePath, int Width, int Height, int LabelCount);
