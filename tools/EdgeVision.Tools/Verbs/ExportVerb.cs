using System.CommandLine;
using EdgeVision.Core.Model;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision export</c>: its options; <see cref="ExportCommand"/> does the work.</summary>
public sealed class ExportVerb : Command
{
    private readonly Option<string> _checkpoint = CliOptions.Required("--checkpoint", "a checkpoint written by edgevision train (best.ckpt or last.ckpt)", "runs/NAME/best.ckpt");
    private readonly Option<string> _out = CliOptions.Required("--out", "the ONNX file to write (atomically)", "model.onnx");
    private readonly Option<string?> _resize = CliOptions.OptionalChoice("--resize",
        "how the daemon fits a frame to the input: center_crop keeps the aspect ratio, stretch squashes; default follows the dataset " +
        "(fashion-mnist: center_crop, ImageFolder: stretch, as its loader does)", ResizePolicyNames.CenterCrop, ResizePolicyNames.Stretch);

    public ExportVerb() : base("export", """
        export a training checkpoint as a contract ONNX model
        The model takes uint8 BGR [N,H,W,3]; colour conversion, scaling and mean/std are in the graph and BatchNorm is
        folded into the convolutions. Its metadata carries labels, architecture, input size, mean/std, dataset, the
        validation accuracy of the checkpoint's own epoch and the training date.
        """)
    {
        Add(_checkpoint);
        Add(_out);
        Add(_resize);
        SetAction((parse, ct) => Task.FromResult(ExportCommand.Run(Bind(parse), ct)));
    }

    public ExportArguments Bind(ParseResult parse) =>
        new(parse.GetValue(_checkpoint)!, parse.GetValue(_out)!,
            ResizePolicyNames.TryParse(parse.GetValue(_resize), out var policy) ? policy : null);
}

/// <summary>What <c>edgevision export</c> was asked; <see cref="Resize"/> null: the dataset's default.</summary>
public sealed record ExportArguments(string Checkpoint, string Out, ResizePolicy? Resize);
