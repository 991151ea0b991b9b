namespace EdgeVision.Daemon.Streaming;

/// <summary>Which picture of a source a client watches: with the HUD drawn over it, or as captured.</summary>
public enum StreamKind
{
    Annotated,
    Raw,
}
