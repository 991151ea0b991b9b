using System.CommandLine;
using EdgeVision.Core.Model;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision import</c>: its options; <see cref="ImportCommand"/> does the work.</summary>
public sealed class ImportVerb : Command
{
    private readonly Option<string> _model = CliOptions.Required("--model", "float classifier: one input [1|N, 3, H, W] normalized RGB, one output [1|N, C]", "in.onnx");
    private readonly Option<string> _labels = CliOptions.Required("--labels", "text file, one label per line, exactly C lines (blank lines at the end are ignored)", "labels.txt");
    private readonly Option<float[]?> _mean = Required(CliOptions.Numbers("--mean", "per-channel mean in R,G,B order on the [0,1] pixel scale, e.g. 0.485,0.456,0.406"));
    private readonly Option<float[]?> _std = Required(CliOptions.Numbers("--std", "per-channel std in R,G,B order on the [0,1] pixel scale, e.g. 0.229,0.224,0.225"));
    private readonly Option<int?> _size = CliOptions.OptionalInt("--size", "square input size; needed when the model's H and W are not fixed", 1, 8192);
    private readonly Option<int?> _width = CliOptions.OptionalInt("--width", "non-square input width (with --height)", 1, 8192);
    private readonly Option<int?> _height = CliOptions.OptionalInt("--height", "non-square input height (with --width)", 1, 8192);
    private readonly Option<string> _resize = CliOptions.Choice("--resize", "how frames reach the input size (center_crop, as torchvision evaluates)",
        ResizePolicyNames.CenterCrop, ResizePolicyNames.CenterCrop, ResizePolicyNames.Stretch);
    private readonly Option<string?> _arch = CliOptions.OptionalString("--arch", "architecture name for the metadata (default: the graph's name)", "name");
    private readonly Option<string?> _dataset = CliOptions.OptionalString("--dataset", "dataset name for the metadata", "name");
    private readonly Option<string> _out = CliOptions.Required("--out", "the contract model to write (uint8 BGR NHWC in, probabilities + logits out)", "out.onnx");

    public ImportVerb() : base("import", """
        wrap a float NCHW classifier (torchvision, ONNX model zoo) into a contract model
          edgevision import --model in.onnx --labels labels.txt --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225
                            [--size 224 | --width W --height H] [--resize center_crop|stretch] [--arch NAME] [--dataset NAME] --out out.onnx
        """)
    {
        foreach (Option option in new Option[] { _model, _labels, _mean, _std, _size, _width, _height, _resize, _arch, _dataset, _out }) Add(option);
        SetAction((parse, ct) => Task.FromResult(ImportCommand.Run(Bind(parse), ct)));
    }

    public ImportArguments Bind(ParseResult parse)
    {
        ResizePolicyNames.TryParse(parse.GetValue(_resize), out var resize);
        return new(parse.GetValue(_model)!, parse.GetValue(_labels)!, parse.GetValue(_mean)!, parse.GetValue(_std)!,
            parse.GetValue(_size), parse.GetValue(_width), parse.GetValue(_height), resize, parse.GetValue(_arch), parse.GetValue(_dataset), parse.GetValue(_out)!);
    }

    private static Option<float[]?> Required(Option<float[]?> option)
    {
        option.Required = true;
        return option;
    }
}

/// <summary>What <c>edgevision import</c> was asked.</summary>
public sealed record ImportArguments(string Model, string Labels, float[] Mean, float[] Std, int? Size, int? Width, int? Height,
    ResizePolicy Resize, string? Arch, string? Dataset, string Out);
