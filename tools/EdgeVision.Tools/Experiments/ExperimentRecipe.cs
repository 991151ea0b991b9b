using System.CommandLine;
using EdgeVision.Tools.Cli;
using EdgeVision.Training.Runs;

namespace EdgeVision.Tools.Experiments;

/// <summary>
/// The one training recipe the experiments share: He et al. 2015's CIFAR recipe (SGD, momentum 0.9, lr 0.1,
/// weight decay 1e-4, batch 128, crop + flip) with a cosine schedule after one warm-up epoch, because the
/// budget here is epochs, not the paper's 64 000 iterations with steps at 32 k and 48 k. These are its options
/// (and --archs, which every experiment that trains takes), added to each experiment's command.
/// </summary>
public sealed class ExperimentRecipe
{
    private readonly Option<int> _epochs;
    private readonly Option<int> _batch = CliOptions.Int("--batch", "batch size of every run", 128, 1, 8192);
    private readonly Option<double> _lr = CliOptions.Double("--lr", "SGD learning rate", 0.1, 1e-6, 10);
    private readonly Option<double> _wd = CliOptions.Double("--wd", "SGD weight decay", 1e-4, 0, 1);
    private readonly Option<int> _seed = CliOptions.Int("--seed", "seed of every run", 1, 0, int.MaxValue);
    private readonly Option<CommaList<string>> _archs;

    public ExperimentRecipe(Command command, int defaultEpochs, IReadOnlyList<string> defaultArchitectures, string archsDescription)
    {
        _epochs = CliOptions.Int("--epochs", "budget of every run", defaultEpochs, 1, 10_000);
        _archs = CliOptions.List("--archs", archsDescription, [.. defaultArchitectures]);
        _archs.Validators.Add(r =>
        {
            var archs = r.GetValueOrDefault<CommaList<string>>().Items;
            if (archs.Count == 0) r.AddError("--archs needs at least one architecture");
            foreach (string a in archs)
            {
                try
                {
                    Core.Architecture.ResNetZoo.Create(a);
                }
                catch (ArgumentException e)
                {
                    r.AddError($"--archs: {e.Message}");
                }
            }
        });
        foreach (Option option in new Option[] { _archs, _epochs, _batch, _lr, _wd, _seed }) command.Add(option);
    }

    public TrainingOptions Bind(ParseResult parse) => new()
    {
        Epochs = parse.GetValue(_epochs),
        BatchSize = parse.GetValue(_batch),
        LearningRate = parse.GetValue(_lr),
        WeightDecay = parse.GetValue(_wd),
        Nesterov = false,
        Seed = parse.GetValue(_seed),
    };

    /// <summary>--archs, each a zoo name (checked while parsing).</summary>
    public IReadOnlyList<string> Architectures(ParseResult parse) => parse.GetValue(_archs)!.Items;
}
