namespace EdgeVision.Data;

/// <summary>A seeded, class-balanced subset: the first N of each class in a seeded shuffle of the split.</summary>
public static class BalancedSubset
{
    /// <summary>
    /// <paramref name="perClass"/> images of every class (all of a class that has fewer), chosen by a seeded
    /// shuffle, returned in the shuffled order so classes interleave. The same data and seed give the same images.
    /// </summary>
    public static ImageDataset Take(ImageDataset data, int perClass, int seed)
    {
        if (perClass < 1) throw new ArgumentOutOfRangeException(nameof(perClass), $"images per class must be positive, not {perClass}");
        var order = Enumerable.Range(0, data.Count).ToArray();
        new Random(seed).Shuffle(order);
        var taken = new int[data.Classes.Count];
        var chosen = new List<int>();
        foreach (int i in order)
        {
            int label = data.Labels[i];
            if (taken[label] >= perClass) continue;
            taken[label]++;
            chosen.Add(i);
        }
        return data.Subset($"{data.Name}[{perClass}/class, seed {seed}]", chosen);
    }
}
