namespace EdgeVision.Teaching;

/// <summary>
/// A seeded, stratified hold-out: the same fraction of every label (at least one image each, never all of them)
/// is held out, chosen by a seeded shuffle, so the reported accuracy covers every label and is repeatable.
/// </summary>
public static class StratifiedSplit
{
    public static (List<int> Fit, List<int> HoldOut) Split(int[] labels, int classes, double holdOutFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!(holdOutFraction > 0 && holdOutFraction < 1)) throw new ArgumentOutOfRangeException(nameof(holdOutFraction), holdOutFraction, "must be in (0, 1)");
        var random = new Random(seed);
        var fit = new List<int>();
        var holdOut = new List<int>();
        for (int k = 0; k < classes; k++)
        {
            int[] rows = [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] == k)];
            random.Shuffle(rows);
            int held = rows.Length < 2 ? 0 : Math.Clamp((int)Math.Round(rows.Length * holdOutFraction), 1, rows.Length - 1);
            holdOut.AddRange(rows[..held]);
            fit.AddRange(rows[held..]);
        }
        fit.Sort();
        holdOut.Sort();
        return (fit, holdOut);
    }
}
