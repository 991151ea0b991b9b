using EdgeVision.Tools.Cli;

namespace EdgeVision.Tools.Tests;

/// <summary>One <c>edgevision</c> invocation through the real command tree, its help and messages captured.</summary>
public sealed record CliRun(int Code, string Output, string Error)
{
    public static Task<CliRun> Of(params string[] args) => Of(args, CancellationToken.None);

    /// <summary>The invocation with a token, as Ctrl-C reaches a command.</summary>
    public static async Task<CliRun> Of(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await EdgeVisionCli.InvokeAsync(args, output, error, cancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Asserts a usage error (exit 2) whose message contains <paramref name="expected"/>.</summary>
    public static async Task<string> UsageError(string expected, params string[] args)
    {
        var run = await Of(args);
        Assert.True(run.Code == EdgeVisionCli.UsageError, $"exit {run.Code}, expected 2; stderr: {run.Error}");
        Assert.Contains(expected, run.Error);
        return run.Error;
    }
}
