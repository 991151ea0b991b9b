namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// How big a reliability scenario runs: small in CI (seconds each), the full size when
/// <c>EDGEVISION_RELIABILITY_FULL=1</c> (scripts/reliability.sh sets it).
/// </summary>
internal static class ReliabilityScale
{
    public static bool Full { get; } = Environment.GetEnvironmentVariable("EDGEVISION_RELIABILITY_FULL") == "1";

    public static int Pick(int ci, int full) => Full ? full : ci;
}
