using System.CommandLine;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision zoo</c>: its options; <see cref="ZooCommand"/> does the work.</summary>
public sealed class ZooVerb : Command
{
    private readonly Option<int> _input = CliOptions.Int("--input", "square input size in pixels", 224, 8, 4096);
    private readonly Option<int> _channels = CliOptions.Int("--channels", "1 (grey) or 3 (colour) network input channels", 3, 1, 3);
    private readonly Option<int> _classes = CliOptions.Int("--classes", "output classes", 1000, 2, 1_000_000);
    private readonly Option<string?> _arch = CliOptions.OptionalString("--arch",
        "show only this architecture (any valid depth, e.g. resnet1202, wrn_40_4, densenet_bc_190_40, or a RegNet design point " +
        "regnet_x:w0,wa,wm,depth,group — also regnet_y: (SE), regnet_x_cifar: and regnet_y_cifar: (3×3/1 stem); e.g. regnet_x:24,24.48,2.54,22,16)", "name");
    private readonly Option<string?> _export = CliOptions.OptionalString("--export",
        "with --arch: write it with random weights (fixed seed) as a contract model, ImageNet mean/std, to time a network no one " +
        "has trained (edgevision precision, scripts/gpu-check.sh)", "model.onnx");

    public ZooVerb() : base("zoo", "list the zoo (ResNet, DenseNet, RegNet families) with parameters and multiply-adds")
    {
        Add(_input);
        Add(_channels);
        Add(_classes);
        Add(_arch);
        Add(_export);
        _channels.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() == 2) r.AddError("--channels must be 1 or 3, not 2");
        });
        Validators.Add(r =>
        {
            if (r.IsGiven(_export) && !r.IsGiven(_arch)) r.AddError("--export needs --arch NAME");
        });
        SetAction((parse, ct) => Task.FromResult(ZooCommand.Run(Bind(parse), ct)));
    }

    public ZooArguments Bind(ParseResult parse) =>
        new(parse.GetValue(_input), parse.GetValue(_channels), parse.GetValue(_classes), parse.GetValue(_arch), parse.GetValue(_export));
}

/// <summary>What <c>edgevision zoo</c> was asked.</summary>
public sealed record ZooArguments(int Input, int Channels, int Classes, string? Arch, string? Export);
