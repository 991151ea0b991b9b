namespace EdgeVision.Daemon.Teaching;

/// <summary>A teach job as GET /api/teach/{id} and the <c>teach</c> server-sent event show it.</summary>
public sealed record TeachJobStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public required string Id { get; init; }

    /// <summary>running, completed, failed or cancelled.</summary>
    public required string State { get; init; }

    /// <summary>queued, scanning, embedding, fitting, writing, loading (validating and swapping in), done.</summary>
    public required string Phase { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public double ElapsedSeconds { get; init; }

    /// <summary>CPU seconds the job's thread used (with Teach:Threads 1, all of the embedding and fitting work).</summary>
    public double? CpuSeconds { get; init; }
    public int Images { get; init; }
    public int Embedded { get; init; }
    public int ToEmbed { get; init; }
    public int Cached { get; init; }
    public int Skipped { get; init; }

    /// <summary>Hold-out top-1 of the taught model, once fitted.</summary>
    public double? Accuracy { get; init; }
    public int? FitImages { get; init; }
    public int? HoldOutImages { get; init; }
    public IReadOnlyDictionary<string, int>? ImagesPerLabel { get; init; }

    /// <summary>The catalog name of the taught model (<c>taught/…</c>) once written.</summary>
    public string? Model { get; init; }

    /// <summary>True once the taught model is the one serving.</summary>
    public bool Active { get; init; }
    public string? Provider { get; init; }
    public string? Error { get; init; }

    public bool Finished => State is not Running;
}
