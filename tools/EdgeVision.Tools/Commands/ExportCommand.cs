using EdgeVision.Core.Model;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Tools.Training;
using EdgeVision.Tools.Verbs;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision export</c>: a training checkpoint as a contract model (BN folded, preprocessing fused, metadata).</summary>
public static class ExportCommand
{
    public static int Run(ExportArguments args, CancellationToken cancellationToken)
    {
        var (checkpointPath, output, resize) = (args.Checkpoint, args.Out, args.Resize);
        var checkpoint = CheckpointFile.Load(checkpointPath);
        CheckpointExport.Export(checkpoint, output, resize: resize);
        var s = checkpoint.State;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"wrote {output}: {s.Architecture}, {s.InputWidth}×{s.InputHeight} {s.Color.ToString().ToLowerInvariant()}, {(resize ?? CheckpointMetadata.DefaultResize(s.Dataset)) switch { ResizePolicy.CenterCrop => "center_crop", _ => "stretch" }}, {s.Labels.Count} classes, " +
            $"epoch {s.Epoch}{(CheckpointMetadata.ValidatedAccuracy(s).Top1 is { } top1 ? $", val top-1 {top1 * 100:F2}%" : ", not validated (saved mid-epoch)")}, {new FileInfo(output).Length / 1024.0:F0} KiB"));
        return 0;
    }
}
