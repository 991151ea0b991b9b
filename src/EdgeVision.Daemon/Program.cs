using EdgeVision.Daemon;
using EdgeVision.Daemon.Diagnostics;
using EdgeVision.Inference;
using Microsoft.Extensions.Options;

// edgevisiond: capture → batched inference → HUD → MJPEG/SSE/window/recording, as a systemd service or
// from a terminal. Exit codes: 0 stopped cleanly, 2 invalid configuration, 3 the model could not be loaded,
// 4 a native library (OpenCvSharpExtern, onnxruntime, a provider library) is missing or for another architecture.
try
{
    // --bench / --bench-viewer: the benchmarks, behind the diagnostics door; everything else is the daemon.
    if (DiagnosticsEntry.TryRun(args) is { } benchmark) return await benchmark;
    var app = DaemonHost.Build(args);
    // Before anything binds them: a missing or foreign-architecture .so is one line naming it, not a TypeInitializationException.
    NativeLibraryCheck.Verify(app.Services.GetRequiredService<IOptions<InferenceOptions>>().Value);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    // A bad setting stops start-up naming every offending key and its allowed range.
    Console.Error.WriteLine("edgevisiond: invalid configuration:");
    foreach (string failure in e.Failures) Console.Error.WriteLine("  " + failure);
    return 2;
}
catch (NativeLibraryException e)
{
    Console.Error.WriteLine("edgevisiond: " + e.Message);
    return 4;
}
catch (ModelLoadException e)
{
    Console.Error.WriteLine($"edgevisiond: cannot load the model {e.ModelPath}: {e.Reason}");
    return 3;
}
