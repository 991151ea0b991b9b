namespace EdgeVision.Capture;

/// <summary>A source could not open or read. The message names the source and never holds credentials.</summary>
public sealed class SourceException : Exception
{
    public SourceException(string message)
        : base(UrlRedactor.Redact(message))
    {
    }

    public SourceException(string message, Exception inner)
        : base(UrlRedactor.Redact(message) + ": " + UrlRedactor.Redact(inner.Message))
    {
    }
}
