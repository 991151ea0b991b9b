using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Tools.Cli;
using EdgeVision.Training.Model;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Tools.Training;

/// <summary>Resolves <c>--data</c>: "fashion-mnist" (Debian's copy), a directory of IDX files, or an ImageFolder.</summary>
public static class DatasetArguments
{
    public const string FashionMnistName = "fashion-mnist";

    public static bool IsIdxDirectory(string dir) =>
        Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*-images-idx3-ubyte*").Any();

    public static DatasetSplits Load(string data, int imageSize, ILogger logger)
    {
        if (string.Equals(data, FashionMnistName, StringComparison.OrdinalIgnoreCase)) return FashionMnist.Load();
        if (IsIdxDirectory(data)) return FashionMnist.Load(data);
        if (!Directory.Exists(data)) throw new UsageException($"--data '{data}' is neither fashion-mnist nor an existing directory");
        return ImageFolder.Load(data, imageSize, imageSize, logger);
    }

    /// <summary>Grey Fashion-MNIST statistics for IDX data; RGB with ImageNet statistics (or --mean/--std) for colour folders.</summary>
    public static NetworkInput Input(DatasetSplits data, float[]? mean, float[]? std)
    {
        if (data.Train.Channels == 1)
            return mean is null && std is null ? NetworkInput.FashionMnist : new NetworkInput(ColorMode.Grey, mean ?? [0.2860f], std ?? [0.3530f]);
        return mean is null && std is null ? NetworkInput.ImageNet : new NetworkInput(ColorMode.Rgb, mean ?? NetworkInput.ImageNet.Mean, std ?? NetworkInput.ImageNet.Std);
    }
}
