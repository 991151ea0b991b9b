namespace EdgeVision.Tools.Cli;

/// <summary>
/// Bad command-line input found after parsing (a file that is not what the option promised, options that do not go
/// together): the message names the option and what was wrong; exit code 2, as a parse error.
/// </summary>
public sealed class UsageException(string message) : Exception(message);
