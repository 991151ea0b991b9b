using System.Globalization;
using EdgeVision.Core.Model;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Import;
using EdgeVision.Tools.Cli;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision import</c>: a torchvision / ONNX-model-zoo float classifier becomes a contract model.</summary>
public sealed class ImportCommand : IToolCommand
{
    public string Name => "import";
    public string Summary => "wrap a float NCHW classifier (torchvision, ONNX model zoo) into a contract model";
    public string Usage => """
        edgevision import --model in.onnx --labels labels.txt --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225
                          [--size 224 | --width W --height H] [--resize center_crop|stretch]
                          [--arch NAME] [--dataset NAME] --out out.onnx

          --model    float classifier: one input [1|N, 3, H, W] normalized RGB, one output [1|N, C]
          --labels   text file, one label per line, exactly C lines (blank lines at the end are ignored)
          --mean     per-channel mean in R,G,B order on the [0,1] pixel scale
          --std      per-channel std in R,G,B order on the [0,1] pixel scale
          --size     square input size; needed when the model's H and W are not fixed
          --width, --height   non-square input size
          --resize   how frames reach the input size (default center_crop, as torchvision evaluates)
          --arch     architecture name for the metadata (default: the graph's name)
          --dataset  dataset name for the metadata
          --out      the contract model to write (uint8 BGR NHWC in, probabilities + logits out)
        """;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        string modelPath = args.RequiredString("model");
        string labelsPath = args.RequiredString("labels");
        float[] mean = args.Floats("mean") ?? throw new UsageException("--mean is required (R,G,B on the [0,1] scale, e.g. 0.485,0.456,0.406)");
        float[] std = args.Floats("std") ?? throw new UsageException("--std is required (R,G,B on the [0,1] scale, e.g. 0.229,0.224,0.225)");
        int? size = args.Has("size") ? args.Int("size", 0, 1, 8192) : null;
        int? width = args.Has("width") ? args.Int("width", 0, 1, 8192) : null;
        int? height = args.Has("height") ? args.Int("height", 0, 1, 8192) : null;
        string resizeText = args.String("resize", "center_crop");
        string? arch = args.String("arch");
        string? dataset = args.String("dataset");
        string outPath = args.RequiredString("out");
        args.EnsureAllUsed();

        if (size is not null && (width is not null || height is not null))
            throw new UsageException("give either --size or --width/--height, not both");
        if ((width is null) != (height is null)) throw new UsageException("--width and --height go together");
        if (mean.Length != 3) throw new UsageException($"--mean needs 3 values (R,G,B), {mean.Length} given");
        if (std.Length != 3) throw new UsageException($"--std needs 3 values (R,G,B), {std.Length} given");
        if (std.Any(s => s <= 0)) throw new UsageException($"--std values must be positive: {string.Join(",", std)}");
        var resize = ResizePolicyNames.TryParse(resizeText, out var policy) ? policy
            : throw new UsageException($"--resize must be {ResizePolicyNames.Accepted}, not '{resizeText}'");
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
        return Task.FromResult(0);
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
