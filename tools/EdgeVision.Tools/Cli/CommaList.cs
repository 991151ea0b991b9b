namespace EdgeVision.Tools.Cli;

/// <summary>
/// The value of a comma-separated option (<c>--batches 1,8</c>). Not a collection itself, so help prints a default
/// as it is typed (System.CommandLine joins a collection default with '|').
/// </summary>
public sealed record CommaList<T>(IReadOnlyList<T> Items)
{
    public override string ToString() => string.Join(',', Items);
}
