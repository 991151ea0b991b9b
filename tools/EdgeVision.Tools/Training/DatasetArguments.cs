using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Tools.Cli;
using EdgeVision.Training.Model;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Tools.Training;

/// <summary>Resolves <c>--data</c>: "fashion-mnist" (Debian's copy), a directory of IDX files, or an ImageFolder.</summary>
public static class DatasetArguments
{
    /// <param name="valSplit">--val-split: for a folder without val/ the stratified hold-out fraction (0: the default 20 %).</param>
    public static DatasetSplits Load(string data, int imageSize, ILogger logger, double valSplit = 0, int seed = 1)
    {
        var location = Locate(data);
        return location.IsIdx
            ? FashionMnist.Load(location.Path)
            : ImageFolder.Load(location.Path, imageSize, imageSize, logger, valSplit > 0 ? valSplit : null, seed);
    }

    /// <summary>--val-split on data that has its own validation split: a seeded random hold-out of train instead. Writes a hold-out's split.csv to the run.</summary>
    public static DatasetSplits ApplyValSplit(DatasetSplits splits, double valSplit, int seed, string outDir)
    {
        if (valSplit > 0 && splits.HoldOut is null) splits = ImageDatasetSplitting.HoldOut(splits.Name, splits.Train, valSplit, seed);
        splits.HoldOut?.Write(outDir);
        return splits;
    }

    /// <summary><see cref="DataLocation.Parse"/> with its complaint as a usage error.</summary>
    public static DataLocation Locate(string data)
    {
        try
        {
            return DataLocation.Parse(data);
        }
        catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Grey Fashion-MNIST statistics for IDX data; RGB with ImageNet statistics (or --mean/--std) for colour folders.</summary>
    public static NetworkInput Input(DatasetSplits data, float[]? mean, float[]? std)
    {
        if (data.Train.Channels == 1)
            return mean is null && std is null ? NetworkInput.FashionMnist : new NetworkInput(ColorMode.Grey, mean ?? [0.2860f], std ?? [0.3530f]);
        return mean is null && std is null ? NetworkInput.ImageNet : new NetworkInput(ColorMode.Rgb, mean ?? NetworkInput.ImageNet.Mean, std ?? NetworkInput.ImageNet.Std);
    }
}
