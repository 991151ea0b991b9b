using EdgeVision.Daemon;
using EdgeVision.Inference;
using Microsoft.Extensions.Options;

// edgevisiond: capture → batched inference → HUD → MJPEG/SSE/window/recording, as a systemd service or
// from a terminal. Exit codes: 0 stopped cleanly, 2 invalid configuration, 3 the model could not be loaded.
try
{
    if (EdgeVision.Daemon.Benchmark.DaemonBenchmark.IsRequested(args)) return await EdgeVision.Daemon.Benchmark.DaemonBenchmark.RunAsync(args);
    if (EdgeVision.Daemon.Benchmark.ViewerBenchmark.IsRequested(args)) return await EdgeVision.Daemon.Benchmark.ViewerBenchmark.RunAsync(args);
    await DaemonHost.Build(args).RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    // A bad setting stops start-up naming every offending key and its allowed range.
    Console.Error.WriteLine("edgevisiond: invalid configuration:");
    foreach (string failure in e.Failures) Console.Error.WriteLine("  " + failure);
    return 2;
}
catch (ModelLoadException e)
{
    Console.Error.WriteLine($"edgevisiond: cannot load the model {e.ModelPath}: {e.Reason}");
    return 3;
}
