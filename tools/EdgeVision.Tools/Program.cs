using EdgeVision.Tools.Cli;

namespace EdgeVision.Tools;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        // First Ctrl-C asks the command to stop cleanly (training saves a checkpoint); a second one kills.
        Console.CancelKeyPress += (_, e) =>
        {
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            Console.Error.WriteLine("edgevision: stopping (Ctrl-C again to abort)");
            cts.Cancel();
        };
        return await EdgeVisionCli.InvokeAsync(args, cancellationToken: cts.Token);
    }
}
