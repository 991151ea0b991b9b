namespace EdgeVision.Daemon.Tests.Http;

/// <summary>
/// Tests that compare rates run alone, after the parallel ones, so other tests' CPU use on a 2-core machine
/// does not read as a slowdown caused by the code under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuringCollection
{
    public const string Name = "measuring (runs alone)";
}
