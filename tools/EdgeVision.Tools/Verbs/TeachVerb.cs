using System.CommandLine;
using EdgeVision.Inference;
using EdgeVision.Teaching;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision teach</c>: its options; <see cref="TeachCommand"/> does the work.</summary>
public sealed class TeachVerb : Command
{
    private readonly Option<string> _data = CliOptions.Required("--data",
        "the dataset root (train/<label>/*.png as the daemon's capture writes it) or a folder of label folders", "DIR");
    private readonly Option<string[]?> _labels = CliOptions.OptionalList("--labels",
        "the labels to learn (default: every label folder); at least 2, each with at least 5 readable images");
    private readonly Option<string> _out = CliOptions.Required("--out", "the contract model to write (temporary file + rename)", "model.onnx");
    private readonly Option<string?> _cache = CliOptions.OptionalString("--cache", "feature cache directory: a second run embeds only new images (default: none)", "DIR");
    private readonly Option<int> _seed = CliOptions.Int("--seed", "seed of the stratified hold-out", 1);
    private readonly Option<double> _holdOut = CliOptions.Double("--holdout", "fraction of each label held out for the reported accuracy",
        TeachRequest.DefaultHoldOutFraction, 0.01, 0.9);
    private readonly Option<double> _l2 = CliOptions.Double("--l2", "L2 strength of the softmax head on standardized features", SoftmaxTrainer.DefaultL2, 0, 100);
    private readonly Option<string[]?> _providers = CliOptions.OptionalList("--providers",
        "execution providers in order (default TensorRT,CUDA,CPU: the first that works runs the backbone)");
    private readonly Option<int> _threads = CliOptions.Int("--threads", "ONNX Runtime intra-op threads (0: one per core)", 0, 0, InferenceOptions.MaxThreads);
    private readonly Option<int> _batch = CliOptions.Int("--batch", "images per backbone run", 8, 1, InferenceOptions.MaxBatchLimit);

    public TeachVerb() : base("teach", """
        teach a classifier from captured images in seconds: frozen ImageNet backbone + softmax head
          edgevision teach --data DIR [--labels a,b,...] --out model.onnx [--cache DIR] [--providers CUDA,CPU]
        """)
    {
        foreach (Option option in new Option[] { _data, _labels, _out, _cache, _seed, _holdOut, _l2, _providers, _threads, _batch }) Add(option);
        _out.Validators.Add(r =>
        {
            string output = r.GetValueOrDefault<string>() ?? "";
            if (!output.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) r.AddError($"--out must name an .onnx file, not '{output}'");
        });
        SetAction((parse, ct) => Task.FromResult(TeachCommand.Run(Bind(parse), ct)));
    }

    public TeachArguments Bind(ParseResult parse) => new(parse.GetValue(_data)!, parse.ValueIfGiven(_labels), parse.GetValue(_out)!, parse.GetValue(_cache),
        parse.GetValue(_seed), parse.GetValue(_holdOut), parse.GetValue(_l2), parse.ValueIfGiven(_providers), parse.GetValue(_threads), parse.GetValue(_batch));
}

/// <summary>What <c>edgevision teach</c> was asked.</summary>
public sealed record TeachArguments(string Data, string[]? Labels, string Out, string? Cache, int Seed, double HoldOut, double L2,
    string[]? Providers, int Threads, int Batch);
