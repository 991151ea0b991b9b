using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace EdgeVision.Tools.Cli;

/// <summary>
/// System.CommandLine's help, with each listed verb cut to the first line of its description: the rest (examples,
/// notes) is for the verb's own --help. (Its HelpBuilder, which could do this per symbol, is internal in 3.0.)
/// </summary>
public sealed class VerbListHelpAction(HelpAction help) : SynchronousCommandLineAction
{
    public static void Install(RootCommand root)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        option.Action = new VerbListHelpAction((HelpAction)option.Action!);
    }

    public override int Invoke(ParseResult parseResult)
    {
        var verbs = parseResult.CommandResult.Command.Subcommands;
        var full = verbs.Select(v => v.Description).ToList();
        foreach (var v in verbs) v.Description = v.Description?.Split('\n')[0].TrimEnd();
        try
        {
            return help.Invoke(parseResult);
        }
        finally
        {
            for (int i = 0; i < verbs.Count; i++) verbs[i].Description = full[i];
        }
    }
}
