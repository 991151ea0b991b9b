namespace EdgeVision.Core.Architecture;

/// <summary>A RegNet stage: <see cref="Depth"/> blocks of <see cref="Width"/> channels in groups of <see cref="GroupWidth"/>.</summary>
public sealed record RegNetStage(int Width, int Depth, int GroupWidth);

/// <summary>
/// torchvision's <c>BlockParams.from_init_params</c> and <c>_adjust_widths_groups_compatibilty</c>, step for step.
/// The widths are computed in float32 as torch computes them: the rounding of log(u_j / w_0) / log(w_m) decides
/// stage boundaries, and double precision could round a borderline block to the other stage.
/// </summary>
public static class RegNetDesign
{
    private const int Quantum = 8;

    public static IReadOnlyList<RegNetStage> Stages(RegNetSpec spec)
    {
        spec.Validate();
        float w0 = (float)spec.InitialWidth, wa = (float)spec.Slope, wm = (float)spec.WidthMultiplier;
        // math.log(w_m) is a Python double; torch divides the float32 tensor by it in float32.
        float logWm = (float)Math.Log(spec.WidthMultiplier);
        var widths = new int[spec.Depth];
        for (int j = 0; j < spec.Depth; j++)
        {
            float continuous = j * wa + w0;
            float capacity = MathF.Round(MathF.Log(continuous / w0) / logWm);
            widths[j] = (int)(MathF.Round(w0 * MathF.Pow(wm, capacity) / Quantum) * Quantum);
        }

        var stages = new List<(int Width, int Depth)>();
        foreach (int w in widths)
        {
            if (stages.Count > 0 && stages[^1].Width == w) stages[^1] = (w, stages[^1].Depth + 1);
            else stages.Add((w, 1));
        }

        // Bottleneck ratio 1: the width must be a multiple of the group width, itself at most the width.
        return stages.Select(s =>
        {
            int group = Math.Min(spec.GroupWidth, s.Width);
            return new RegNetStage(MakeDivisible(s.Width, group), s.Depth, group);
        }).ToArray();
    }

    /// <summary>torchvision's <c>_make_divisible</c>: nearest multiple of <paramref name="divisor"/>, never below 90 % of <paramref name="value"/>.</summary>
    public static int MakeDivisible(double value, int divisor)
    {
        int rounded = Math.Max(divisor, (int)(value + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * value) rounded += divisor;
        return rounded;
    }
}
