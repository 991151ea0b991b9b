using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeVision.Core.Architecture;

/// <summary>
/// Named RegNets and the open design space. torchvision's <c>regnet_x_400mf</c> (depth 22, w0 24, wa 24.48, wm 2.54,
/// g 16) and <c>regnet_y_400mf</c> (16, 48, 27.89, 2.09, 8, SE 0.25); <c>regnet_x_cifar</c> / <c>regnet_y_cifar</c>:
/// the 200MF point of the paper (13, 24, 36.44, 2.49, 8 → widths 24-56-152-368, depths 1-1-4-7) on a 3×3/1 stem
/// with the first stage at stride 1, for 28–32 px images. Any point: <c>regnet_x:w0,wa,wm,depth,group</c>
/// (ImageNet stem), <c>regnet_y:…</c> (with SE), <c>regnet_x_cifar:…</c>, <c>regnet_y_cifar:…</c>.
/// </summary>
public static partial class RegNetZoo
{
    public static IReadOnlyList<string> Names { get; } = ["regnet_x_400mf", "regnet_y_400mf", "regnet_x_cifar", "regnet_y_cifar"];

    private const double YRatio = 0.25;

    /// <summary>The spec for <paramref name="key"/> (lower case), or null when it names no RegNet; a malformed design point throws.</summary>
    public static RegNetSpec? TryCreate(string key)
    {
        RegNetSpec? named = key switch
        {
            "regnet_x_400mf" => Point(key, StemKind.ImageNet, 24, 24.48, 2.54, 22, 16, 0),
            "regnet_y_400mf" => Point(key, StemKind.ImageNet, 48, 27.89, 2.09, 16, 8, YRatio),
            "regnet_x_cifar" => Point(key, StemKind.Cifar, 24, 36.44, 2.49, 13, 8, 0),
            "regnet_y_cifar" => Point(key, StemKind.Cifar, 24, 36.44, 2.49, 13, 8, YRatio),
            _ => null,
        };
        if (named is not null) return named;
        var m = DesignPoint().Match(key);
        if (!m.Success) return null;
        bool y = m.Groups[1].Value == "y";
        var stem = m.Groups[2].Success && m.Groups[2].Value.Length > 0 ? StemKind.Cifar : StemKind.ImageNet;
        string[] parts = m.Groups[3].Value.Split(',');
        if (parts.Length != 5)
            throw new ArgumentException($"'{key}': a RegNet design point is w0,wa,wm,depth,group (5 numbers), got {parts.Length}");
        double w0 = Number(key, "w0", parts[0]), wa = Number(key, "wa", parts[1]), wm = Number(key, "wm", parts[2]);
        int depth = Whole(key, "depth", parts[3]), group = Whole(key, "group", parts[4]);
        // The name is written back in one canonical form, so a checkpoint's architecture rebuilds the same net.
        string name = $"regnet_{(y ? "y" : "x")}{(stem == StemKind.Cifar ? "_cifar" : "")}:" +
            string.Join(",", Format(w0), Format(wa), Format(wm), depth.ToString(CultureInfo.InvariantCulture), group.ToString(CultureInfo.InvariantCulture));
        return Point(name, stem, w0, wa, wm, depth, group, y ? YRatio : 0);
    }

    private static RegNetSpec Point(string name, StemKind stem, double w0, double wa, double wm, int depth, int group, double se) => new()
    {
        Name = name, Stem = stem, InitialWidth = w0, Slope = wa, WidthMultiplier = wm, Depth = depth, GroupWidth = group,
        SqueezeExcitationRatio = se,
    };

    private static double Number(string key, string what, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new ArgumentException($"'{key}': {what} '{text}' is not a number");

    private static int Whole(string key, string what, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"'{key}': {what} '{text}' is not a whole number");

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^regnet(?:_([xy]))?(_cifar)?:(.*)$")]
    private static partial Regex DesignPoint();
}
