using EdgeVision.Tools.Cli;
using EdgeVision.Training.Runs;

namespace EdgeVision.Tools.Experiments;

/// <summary>
/// The one training recipe the experiments share: He et al. 2015's CIFAR recipe (SGD, momentum 0.9, lr 0.1,
/// weight decay 1e-4, batch 128, crop + flip) with a cosine schedule after one warm-up epoch, because the
/// budget here is epochs, not the paper's 64 000 iterations with steps at 32 k and 48 k.
/// </summary>
public static class ExperimentRecipe
{
    public const string Options = """
          --data                 fashion-mnist (default) or any --data that train takes
          --epochs N             budget of every run (default 10);  --subset N  first N training images (default all)
          --batch, --lr, --wd    default 128, 0.1, 1e-4;  --seed N (default 1);  --threads N
        """;

    public static TrainingOptions Parse(ToolArguments args, int defaultEpochs) => new()
    {
        Epochs = args.Int("epochs", defaultEpochs, 1, 10_000),
        BatchSize = args.Int("batch", 128, 1, 8192),
        LearningRate = args.Double("lr", 0.1, 1e-6, 10),
        WeightDecay = args.Double("wd", 1e-4, 0, 1),
        Nesterov = false,
        Seed = args.Int("seed", 1, 0, int.MaxValue),
    };

    /// <summary>--archs, validated against the zoo; every experiment needs residual nets and their plain twins.</summary>
    public static IReadOnlyList<string> Architectures(ToolArguments args, IReadOnlyList<string> fallback)
    {
        var archs = (args.String("archs") ?? string.Join(',', fallback)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string a in archs)
        {
            try
            {
                Core.Architecture.ResNetZoo.Create(a);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--archs: {e.Message}");
            }
        }
        return archs.Length > 0 ? archs : throw new UsageException("--archs needs at least one architecture");
    }
}
