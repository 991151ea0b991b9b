using System.Runtime.CompilerServices;

// The HTTP tests drive the stream feeds (internal: the frame loop only sees StreamHub) directly.
[assembly: InternalsVisibleTo("EdgeVision.Daemon.Tests")]
