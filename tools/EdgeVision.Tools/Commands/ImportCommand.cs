using System.Globalization;
using EdgeVision.Core.Model;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Import;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Verbs;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision import</c>: a torchvision / ONNX-model-zoo float classifier becomes a contract model.</summary>
public static class ImportCommand
{
    public static int Run(ImportArguments args, CancellationToken cancellationToken)
    {
        var (modelPath, labelsPath, mean, std, size, width, height) = (args.Model, args.Labels, args.Mean, args.Std, args.Size, args.Width, args.Height);
        var (resize, arch, dataset, outPath) = (args.Resize, args.Arch, args.Dataset, args.Out);
        if (size is not null && (width is not null || height is not null))
            throw new UsageException("give either --size or --width/--height, not both");
        if ((width is null) != (height is null)) throw new UsageException("--width and --height go together");
        if (mean.Length != 3) throw new UsageException($"--mean needs 3 values (R,G,B), {mean.Length} given");
        if (std.Length != 3) throw new UsageException($"--std needs 3 values (R,G,B), {std.Length} given");
        if (std.Any(s => s <= 0)) throw new UsageException($"--std values must be positive: {string.Join(",", std)}");
        if (Path.GetFullPath(outPath) == Path.GetFullPath(modelPath)) throw new UsageException("--out must differ from --model");

        var labels = ReadLabels(labelsPath);
        var source = OnnxModelFile.Load(modelPath);
        var options = new ImportOptions
        {
            Labels = labels,
            Mean = mean,
            Std = std,
            Width = size ?? width,
            Height = size ?? height,
            Resize = resize,
            Architecture = arch,
            Dataset = dataset,
        };
        var result = ContractImporter.Import(source, options, modelPath);
        OnnxModelFile.Save(result.Model, outPath);

        var input = result.Model.Graph.Input[0].Type.TensorType.Shape.Dim;
        Console.WriteLine($"imported {modelPath} → {outPath}");
        Console.WriteLine($"  input   images uint8 [N, {input[1].DimValue}, {input[2].DimValue}, 3] BGR");
        Console.WriteLine($"  classes {result.ClassCount.ToString(CultureInfo.InvariantCulture)} (labels from {labelsPath})");
        Console.WriteLine($"  preprocessing {(result.PreprocessingFoldedIntoConv ? "scale and colour order folded into the first convolution" : "as Mul + Gather before the network")}");
        Console.WriteLine($"  softmax {(result.SoftmaxAppended ? "appended" : "kept from the model")}; batch-1 reshapes made dynamic: {result.ReshapesRewritten}");
        return 0;
    }

    /// <summary>One label per line; trailing blank lines are ignored, a blank line in the middle is an error.</summary>
    internal static IReadOnlyList<string> ReadLabels(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"--labels: file '{path}' does not exist");
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        int blank = lines.FindIndex(l => l.Length == 0);
        if (blank >= 0) throw new UsageException($"--labels: line {blank + 1} of '{path}' is empty");
        if (lines.Count == 0) throw new UsageException($"--labels: '{path}' holds no labels");
        return lines;
    }
}
