using System.Globalization;
using System.Text;
using EdgeVision.Core.IO;

namespace EdgeVision.Data;

/// <summary>
/// A seeded, stratified validation split held out of a training split: per class, a seeded shuffle and the first
/// round(n·fraction) images — at least one, and never all — go to validation. This is what a dataset without val/
/// (the daemon's captures: train/&lt;label&gt;/*.png only) is validated on; <see cref="Write"/> records it in the run
/// directory so the run can be reproduced or audited.
/// </summary>
public sealed record StratifiedHoldOut(double Fraction, int Seed, IReadOnlyList<int> TrainIndices, IReadOnlyList<int> ValidationIndices, ImageDataset Source)
{
    public const double DefaultFraction = 0.2;
    public const string FileName = "split.csv";

    public static DatasetSplits Split(string name, ImageDataset data, double fraction, int seed)
    {
        if (fraction is <= 0 or >= 1) throw new ArgumentException($"validation fraction must be in (0, 1), not {fraction}");
        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        for (int c = 0; c < data.Classes.Count; c++)
        {
            int[] members = [.. Enumerable.Range(0, data.Count).Where(i => data.Labels[i] == c)];
            if (members.Length < 2)
                throw new InvalidDataException($"{data.Name}: class '{data.Classes[c]}' has {members.Length} readable image(s); a hold-out split needs at least 2 per class (or give a val/ folder)");
            random.Shuffle(members);
            int held = Math.Clamp((int)Math.Round(members.Length * fraction), 1, members.Length - 1);
            validation.AddRange(members[..held]);
            train.AddRange(members[held..]);
        }
        train.Sort();
        validation.Sort();
        var split = new StratifiedHoldOut(fraction, seed, train, validation, data);
        return new DatasetSplits(name, data.Subset(data.Name + "[train]", train), data.Subset(data.Name + "[held-out val]", validation)) { HoldOut = split };
    }

    /// <summary>split.csv in <paramref name="directory"/>: a comment with fraction and seed, then split,label,file per image (temp file + rename).</summary>
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"# stratified hold-out of {Source.Name}: fraction {Fraction}, seed {Seed}, {TrainIndices.Count} train / {ValidationIndices.Count} val"));
        sb.AppendLine("split,label,file");
        foreach (var (split, indices) in new[] { ("train", TrainIndices), ("val", ValidationIndices) })
        {
            foreach (int i in indices)
                sb.AppendLine($"{split},{Csv(Source.Classes[Source.Labels[i]])},{Csv(Source.Files?[i] ?? $"#{i}")}");
        }
        string path = Path.Combine(directory, FileName);
        AtomicFile.WriteText(path, sb.ToString());
    }

    private static string Csv(string value) => value.Contains(',') || value.Contains('"') ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
