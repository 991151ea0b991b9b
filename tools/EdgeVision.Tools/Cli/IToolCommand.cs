namespace EdgeVision.Tools.Cli;

/// <summary>
/// One verb of the <c>edgevision</c> CLI. Implementations are discovered by reflection, so adding a verb
/// is adding a file under Commands/.
/// </summary>
public interface IToolCommand
{
    /// <summary>The verb, e.g. "train".</summary>
    string Name { get; }

    /// <summary>One line for the verb list.</summary>
    string Summary { get; }

    /// <summary>Full usage text, printed by <c>edgevision VERB --help</c> and on a usage error.</summary>
    string Usage { get; }

    /// <summary>Returns the process exit code. Throw <see cref="UsageException"/> for bad arguments.</summary>
    Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken);
}

/// <summary>Bad command-line input: the message names the option and what was wrong; exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
