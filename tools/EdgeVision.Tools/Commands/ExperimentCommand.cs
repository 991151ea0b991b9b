using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Experiments;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision experiment degradation|lesion|gradients</c>: the studies behind the ResNet family, as tables and plots.</summary>
public sealed class ExperimentCommand : IToolCommand
{
    public string Name => "experiment";
    public string Summary => "the papers' experiments: degradation (plain vs residual depth), lesion (remove one block), gradients (per-layer norms)";
    public string Usage => $"""
        edgevision experiment degradation --out runs/degradation [--archs plain20,plain56,resnet20,resnet56] [--epochs 10] [--subset N]
        edgevision experiment lesion --models runs/degradation/resnet56/last.ckpt,runs/degradation/plain56/last.ckpt --out runs/lesion
        edgevision experiment gradients --out runs/gradients [--archs plain20,plain56,resnet20,resnet56] [--subset 5000]

        {DegradationExperiment.Options}
        {LesionExperiment.Options}
        {GradientsExperiment.Options}
        """;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        string which = args.Positional.Count == 1
            ? args.Positional[0]
            : throw new UsageException("name one experiment: degradation, lesion or gradients");
        return Task.FromResult(which switch
        {
            "degradation" => DegradationExperiment.Run(args, cancellationToken),
            "lesion" => LesionExperiment.Run(args, cancellationToken),
            "gradients" => GradientsExperiment.Run(args, cancellationToken),
            _ => throw new UsageException($"unknown experiment '{which}': degradation, lesion or gradients"),
        });
    }
}
