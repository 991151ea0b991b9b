using System.Globalization;
using EdgeVision.Core.Architecture;
using EdgeVision.Tools.Verbs;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision zoo</c>: parameters and multiply-adds of every listed variant at one input size.</summary>
public static class ZooCommand
{
    public static int Run(ZooArguments args, CancellationToken cancellationToken)
    {
        var (input, channels, classes, only, export) = (args.Input, args.Channels, args.Classes, args.Arch, args.Export);
        if (export is not null && only is not null) // the verb refuses --export without --arch
        {
            float[] mean = channels == 1 ? [0.5f] : [0.485f, 0.456f, 0.406f], std = channels == 1 ? [0.25f] : [0.229f, 0.224f, 0.225f];
            EdgeVision.Tools.Bench.BenchModel.SaveContract(NetworkZoo.Create(only, channels, classes), input, mean, std, export);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(only)} at {input}×{input}×{channels}, {classes} classes, random weights, to [green]{Markup.Escape(export)}[/]");
            return 0;
        }

        var table = new Table().Title($"Zoo at {input}×{input}×{channels}, {classes} classes");
        table.AddColumn("architecture");
        table.AddColumn(new TableColumn("blocks").RightAligned());
        table.AddColumn(new TableColumn("params").RightAligned());
        table.AddColumn(new TableColumn("MACs").RightAligned());
        table.AddColumn("kind");
        foreach (string name in only is null ? NetworkZoo.Names : [only])
        {
            var plan = NetworkZoo.Create(name, channels, classes);
            table.AddRow(
                Markup.Escape(plan.Name),
                plan.BlockCount.ToString(CultureInfo.InvariantCulture),
                FormatCount(plan.ParameterCount),
                FormatCount(plan.MultiplyAdds(input)),
                Markup.Escape(plan.Summary));
        }
        AnsiConsole.Write(table);
        return 0;
    }

    internal static string FormatCount(long n) => n switch
    {
        >= 1_000_000_000 => (n / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " G",
        >= 1_000_000 => (n / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M",
        >= 1_000 => (n / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };
}
