using System.CommandLine;
using System.CommandLine.Invocation;
using EdgeVision.Tools.Verbs;

namespace EdgeVision.Tools.Cli;

/// <summary>
/// The <c>edgevision</c> command tree and how one invocation ends: 0 done, 1 a runtime error (a file that cannot be
/// read, a model that breaks the contract), 2 a usage error naming the option, 130 stopped by Ctrl-C.
/// </summary>
public static class EdgeVisionCli
{
    public const int UsageError = 2;
    public const int Cancelled = 130;

    /// <summary>Every verb; the root keeps System.CommandLine's directives, [suggest] among them (shell completion).</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("edgevision: train, export, quantize, evaluate and benchmark EdgeVision's classifiers")
        {
            new ZooVerb(), new TrainVerb(), new EvalVerb(), new ExportVerb(), new ImportVerb(), new QuantizeVerb(), new PrecisionVerb(),
            new BenchVerb(), new WinogradVerb(), new TeachVerb(), new TransferBenchVerb(), new ExperimentVerb(),
        };
        VerbListHelpAction.Install(root);
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. <paramref name="cancellationToken"/> is the caller's stop request
    /// (Program's first Ctrl-C): System.CommandLine's own SIGINT handling is off, because after its timeout it ends the
    /// process, and a training run must be let finish its batch and write its checkpoint however long that takes.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
        };
        var parsed = Build().Parse(args);
        string verb = CommandPath(parsed);
        if (parsed.Action is ParseErrorAction)
        {
            if (parsed.CommandResult.Command.Subcommands.Count > 0 && parsed.UnmatchedTokens.Count == 0)
            {
                // `edgevision` or `edgevision experiment` alone: the list of what could follow.
                Build().Parse([.. verb.Split(' ').Skip(1), "--help"]).Invoke(configuration);
                return UsageError;
            }
            foreach (var e in parsed.Errors) configuration.Error.WriteLine($"{verb}: {e.Message}");
            foreach (string token in parsed.UnmatchedTokens)
            {
                if (OptionTypos.Suggest(parsed.CommandResult.Command, token) is { } near) configuration.Error.WriteLine($"{verb}: did you mean {near}?");
            }
            configuration.Error.WriteLine($"(see {verb} --help)");
            return UsageError;
        }
        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            configuration.Error.WriteLine($"{verb}: {e.Message}");
            configuration.Error.WriteLine($"(see {verb} --help)");
            return UsageError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            configuration.Error.WriteLine($"{verb}: cancelled");
            return Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or Core.Model.ModelContractException or ArgumentException or KeyNotFoundException
            or EdgeVision.Training.Runs.TrainingDivergedException)
        {
            configuration.Error.WriteLine($"{verb}: {e.Message}");
            return 1;
        }
    }

    /// <summary>"edgevision train", "edgevision experiment lesion": how messages name the verb.</summary>
    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command is RootCommand ? "edgevision" : result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
