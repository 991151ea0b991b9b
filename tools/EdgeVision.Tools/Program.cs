using EdgeVision.Tools.Cli;

namespace EdgeVision.Tools;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var commands = DiscoverCommands();
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintVerbs(commands);
            return args.Length == 0 ? 2 : 0;
        }
        if (!commands.TryGetValue(args[0], out var command))
        {
            Console.Error.WriteLine($"edgevision: unknown verb '{args[0]}'");
            PrintVerbs(commands);
            return 2;
        }
        if (args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(command.Usage);
            return 0;
        }

        using var cts = new CancellationTokenSource();
        // First Ctrl-C asks the command to stop cleanly (training saves a checkpoint); a second one kills.
        Console.CancelKeyPress += (_, e) =>
        {
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            Console.Error.WriteLine("edgevision: stopping (Ctrl-C again to abort)");
            cts.Cancel();
        };
        try
        {
            return await command.RunAsync(new ToolArguments(args[1..]), cts.Token);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"edgevision {command.Name}: {e.Message}");
            Console.Error.WriteLine();
            Console.Error.WriteLine(command.Usage);
            return 2;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine($"edgevision {command.Name}: cancelled");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or EdgeVision.Core.Model.ModelContractException or ArgumentException or KeyNotFoundException)
        {
            Console.Error.WriteLine($"edgevision {command.Name}: {e.Message}");
            return 1;
        }
    }

    public static IReadOnlyDictionary<string, IToolCommand> DiscoverCommands() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IToolCommand).IsAssignableFrom(t)
                        && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IToolCommand)Activator.CreateInstance(t)!)
            .ToDictionary(c => c.Name, StringComparer.Ordinal);

    private static void PrintVerbs(IReadOnlyDictionary<string, IToolCommand> commands)
    {
        Console.WriteLine("usage: edgevision <verb> [options]   (edgevision <verb> --help for details)");
        Console.WriteLine();
        foreach (var c in commands.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
            Console.WriteLine($"  {c.Name,-12} {c.Summary}");
    }
}
