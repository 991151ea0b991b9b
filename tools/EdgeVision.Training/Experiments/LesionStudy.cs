using EdgeVision.Data;
using EdgeVision.Training.Model;
using EdgeVision.Training.Runs;

namespace EdgeVision.Training.Experiments;

/// <summary>Test accuracy of a network with one block removed; <see cref="Top1"/> is null where the block cannot be removed.</summary>
public sealed record LesionRow(int Index, string Block, bool Downsampling, double? Top1);

/// <summary>One network's lesion study: the intact accuracy and one row per block.</summary>
public sealed record LesionResult(string Architecture, double IntactTop1, IReadOnlyList<LesionRow> Rows);

/// <summary>
/// Veit et al. 2016, "Residual networks behave like ensembles of relatively shallow networks": remove each block
/// at test time in turn (its branch replaced by zero, see <see cref="ResNetBlock.Removed"/>) and measure what the
/// rest still gets right. No weights change; the network is left intact afterwards.
/// </summary>
public static class LesionStudy
{
    public static LesionResult Run(ResNetNetwork network, NetworkInput input, ImageDataset test, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        double intact = Trainer.Evaluate(network, input, test).Top1;
        progress?.Report($"{network.Spec.Name}: intact top-1 {intact:P2}");
        var rows = new List<LesionRow>();
        foreach (var block in network.Blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var plan = block.Plan;
            bool downsampling = plan.Downsampling;
            double? top1 = null;
            if (block.CanBeRemoved)
            {
                block.Removed = true;
                try
                {
                    top1 = Trainer.Evaluate(network, input, test).Top1;
                }
                finally
                {
                    block.Removed = false;
                }
            }
            rows.Add(new LesionRow(plan.Index, plan.Name, downsampling, top1));
            progress?.Report($"{network.Spec.Name}: without {plan.Name}{(downsampling ? " (downsampling)" : "")}: {(top1 is { } t ? t.ToString("P2") : "cannot be removed")}");
        }
        return new LesionResult(network.Spec.Name, intact, rows);
    }
}
