using EdgeVision.Core.Model;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Training;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision export</c>: a training checkpoint as a contract model (BN folded, preprocessing fused, metadata).</summary>
public sealed class ExportCommand : IToolCommand
{
    public string Name => "export";
    public string Summary => "export a training checkpoint as a contract ONNX model";
    public string Usage => """
        edgevision export --checkpoint runs/NAME/best.ckpt --out model.onnx [--resize center_crop|stretch]

          --checkpoint  a checkpoint written by edgevision train (best.ckpt or last.ckpt)
          --out         the ONNX file to write (atomically)
          --resize      how the daemon fits a frame to the input: center_crop keeps the aspect ratio,
                        stretch squashes; default follows the dataset (fashion-mnist: center_crop,
                        ImageFolder: stretch, as its loader does)
        The model takes uint8 BGR [N,H,W,3]; colour conversion, scaling and mean/std are in the graph and
        BatchNorm is folded into the convolutions. Its metadata carries labels, architecture, input size,
        mean/std, dataset, the validation accuracy of the checkpoint's own epoch and the training date.
        """;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        string checkpointPath = args.RequiredString("checkpoint");
        string output = args.RequiredString("out");
        ResizePolicy? resize = args.String("resize") switch
        {
            null => null,
            var text => ResizePolicyNames.TryParse(text, out var policy) ? policy
                : throw new UsageException($"--resize must be {ResizePolicyNames.Accepted}, not '{text}'"),
        };
        args.EnsureAllUsed();
        var checkpoint = CheckpointFile.Load(checkpointPath);
        CheckpointExport.Export(checkpoint, output, resize: resize);
        var s = checkpoint.State;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"wrote {output}: {s.Architecture}, {s.InputWidth}×{s.InputHeight} {s.Color.ToString().ToLowerInvariant()}, {(resize ?? CheckpointMetadata.DefaultResize(s.Dataset)) switch { ResizePolicy.CenterCrop => "center_crop", _ => "stretch" }}, {s.Labels.Count} classes, " +
            $"epoch {s.Epoch}{(CheckpointMetadata.ValidatedAccuracy(s).Top1 is { } top1 ? $", val top-1 {top1 * 100:F2}%" : ", not validated (saved mid-epoch)")}, {new FileInfo(output).Length / 1024.0:F0} KiB"));
        return Task.FromResult(0);
    }
}
