using System.Globalization;
using EdgeVision.Core.Architecture;
using EdgeVision.Tools.Cli;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision zoo</c>: parameters and multiply-adds of every listed variant at one input size.</summary>
public sealed class ZooCommand : IToolCommand
{
    public string Name => "zoo";
    public string Summary => "list the zoo (ResNet, DenseNet, RegNet families) with parameters and multiply-adds";
    public string Usage => """
        edgevision zoo [--input 224] [--channels 3] [--classes 1000] [--arch NAME] [--export model.onnx]

          --input     square input size in pixels (default 224)
          --channels  1 (grey) or 3 (colour) network input channels (default 3)
          --classes   output classes (default 1000)
          --arch      show only this architecture (any valid depth, e.g. resnet1202, wrn_40_4, densenet_bc_190_40,
                      or a RegNet design point regnet_x:w0,wa,wm,depth,group — also regnet_y: (SE),
                      regnet_x_cifar: and regnet_y_cifar: (3×3/1 stem); e.g. regnet_x:24,24.48,2.54,22,16)
          --export    with --arch: write it with random weights (fixed seed) as a contract model, ImageNet
                      mean/std, to time a network no one has trained (edgevision precision, scripts/gpu-check.sh)
        """;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        int input = args.Int("input", 224, 8, 4096);
        int channels = args.Int("channels", 3, 1, 3);
        if (channels == 2) throw new UsageException("--channels must be 1 or 3, not 2");
        int classes = args.Int("classes", 1000, 2, 1_000_000);
        string? only = args.String("arch");
        string? export = args.String("export");
        args.EnsureAllUsed();
        if (export is not null)
        {
            if (only is null) throw new UsageException("--export needs --arch NAME");
            float[] mean = channels == 1 ? [0.5f] : [0.485f, 0.456f, 0.406f], std = channels == 1 ? [0.25f] : [0.229f, 0.224f, 0.225f];
            EdgeVision.Tools.Bench.BenchModel.SaveContract(NetworkZoo.Create(only, channels, classes), input, mean, std, export);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(only)} at {input}×{input}×{channels}, {classes} classes, random weights, to [green]{Markup.Escape(export)}[/]");
            return Task.FromResult(0);
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
        return Task.FromResult(0);
    }

    internal static string FormatCount(long n) => n switch
    {
        >= 1_000_000_000 => (n / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " G",
        >= 1_000_000 => (n / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M",
        >= 1_000 => (n / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };
}
