using System.CommandLine;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision transfer-bench</c>: its options; <see cref="TransferBenchCommand"/> does the work.</summary>
public sealed class TransferBenchVerb : Command
{
    private readonly Option<string> _out = CliOptions.Required("--out", "results.jsonl (one line per finished cell), progress/ (a running pretrained cell's last saved epoch) and transfer.md (the table) go here; the same command again continues", "DIR");
    private readonly Option<CommaList<string>> _cells = CliOptions.List("--cells",
        "kind:per-class list (kind scratch | head | fine; per-class a number or all), run in this order",
        "scratch:50", "head:50", "fine:50", "scratch:10", "head:10", "fine:10", "scratch:100", "head:100", "fine:100", "head:all", "scratch:all");
    private readonly Option<int> _imgsz = CliOptions.Int("--imgsz", "backbone input size (multiple of 32)", 64, 32, 224);
    private readonly Option<int> _epochs = CliOptions.Int("--epochs",
        "the epoch budget of every cell; fine-tuned: head alone on cached features until --unfreeze-at, then the whole backbone", 10, 1, 1000);
    private readonly Option<int> _unfreezeAt = CliOptions.Int("--unfreeze-at", "fine-tuned cells: the epoch the backbone starts training", 6, 1, 1000);
    private readonly Option<double> _lr = CliOptions.Double("--lr", "pretrained cells' learning rate", 0.01, 1e-6, 10);
    private readonly Option<double> _scratchLr = CliOptions.Double("--scratch-lr", "scratch cells' learning rate (train's defaults otherwise, batch 32)", 0.1, 1e-6, 10);
    private readonly Option<double> _backboneLrScale = CliOptions.Double("--backbone-lr-scale", "fine-tuned backbone's learning rate as a multiple of --lr", 0.1, 1e-6, 10);
    private readonly Option<int> _seed = CliOptions.Int("--seed", "subset and training seed", 1, 0, int.MaxValue);
    private readonly Option<int> _threads = CliOptions.Int("--threads", "TorchSharp intra-op threads (0: all cores)", 0, 0, 256);

    public TransferBenchVerb() : base("transfer-bench", """
        transfer learning benchmark: scratch vs ImageNet head-only vs fine-tuned on Fashion-MNIST subsets
          edgevision transfer-bench --out runs/transfer-bench [--cells scratch:50,head:50,fine:50,...] [--imgsz 64] [--epochs 10]
        """)
    {
        foreach (Option option in new Option[] { _out, _cells, _imgsz, _epochs, _unfreezeAt, _lr, _scratchLr, _backboneLrScale, _seed, _threads }) Add(option);
        _cells.Validators.Add(r =>
        {
            foreach (string spec in r.GetValueOrDefault<CommaList<string>>().Items)
            {
                var parts = spec.Split(':');
                if (parts.Length != 2 || parts[0] is not ("scratch" or "head" or "fine") || (parts[1] != "all" && !int.TryParse(parts[1], out _)))
                    r.AddError($"--cells: '{spec}' is not kind:per-class (scratch|head|fine : N|all)");
            }
        });
        SetAction((parse, ct) => Task.FromResult(TransferBenchCommand.Run(Bind(parse), ct)));
    }

    public TransferBenchArguments Bind(ParseResult parse) => new(parse.GetValue(_out)!, parse.GetValue(_cells)!.Items, parse.GetValue(_imgsz), parse.GetValue(_epochs),
        parse.GetValue(_unfreezeAt), parse.GetValue(_lr), parse.GetValue(_scratchLr), parse.GetValue(_backboneLrScale), parse.GetValue(_seed), parse.GetValue(_threads));
}

/// <summary>What <c>edgevision transfer-bench</c> was asked; every cell is a valid kind:per-class.</summary>
public sealed record TransferBenchArguments(string Out, IReadOnlyList<string> Cells, int ImageSize, int Epochs, int UnfreezeAt, double Lr, double ScratchLr,
    double BackboneLrScale, int Seed, int Threads);
