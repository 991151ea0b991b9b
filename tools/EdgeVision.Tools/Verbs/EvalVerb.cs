using System.CommandLine;
using EdgeVision.Data;
using EdgeVision.Inference;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision eval</c>: its options; <see cref="EvalCommand"/> does the work.</summary>
public sealed class EvalVerb : Command
{
    private readonly Option<string> _model = CliOptions.Required("--model", "a contract model (uint8 BGR input, metadata with labels)", "model.onnx");
    private readonly Option<string> _data = CliOptions.String("--data",
        "fashion-mnist, a directory of IDX files, or an image folder (DIR/val/<class>/…)", DataLocation.FashionMnistName, "fashion-mnist|DIR");
    private readonly Option<string?> _split = CliOptions.OptionalString("--split",
        "test (default for IDX) | train | val (image folders: val, or test when DIR/test exists)", "test|train|val");
    private readonly Option<int> _batch = CliOptions.Int("--batch", "images per ONNX Runtime run", 64, 1, InferenceOptions.MaxBatchLimit);
    private readonly Option<string[]?> _providers = CliOptions.OptionalList("--providers", "execution providers in order (default TensorRT,CUDA,CPU)");
    private readonly Option<int> _threads = CliOptions.Int("--threads", "ONNX Runtime intra-op threads (0: ORT's choice)", 0, 0, 256);
    private readonly Option<string?> _out = CliOptions.OptionalString("--out",
        "directory for confusion_matrix.png and per_class.csv (default runs/eval/<model name>)", "DIR");

    public EvalVerb() : base("eval", """
        measure a contract model with ONNX Runtime: top-1, top-5, per-class accuracy, confusion matrix, img/s
          edgevision eval --model model.onnx --data fashion-mnist [--split test] [--out DIR]
        """)
    {
        Add(_model);
        Add(_data);
        Add(_split);
        Add(_batch);
        Add(_providers);
        Add(_threads);
        Add(_out);
        SetAction((parse, ct) => Task.FromResult(EvalCommand.Run(Bind(parse), ct)));
    }

    public EvalArguments Bind(ParseResult parse)
    {
        string model = parse.GetValue(_model)!;
        return new(model, parse.GetValue(_data)!, parse.GetValue(_split), parse.GetValue(_batch), parse.ValueIfGiven(_providers), parse.GetValue(_threads),
            parse.GetValue(_out) ?? Path.Combine("runs", "eval", Path.GetFileNameWithoutExtension(model)));
    }
}

/// <summary>What <c>edgevision eval</c> was asked.</summary>
public sealed record EvalArguments(string Model, string Data, string? Split, int Batch, string[]? Providers, int Threads, string Out);
