namespace EdgeVision.Data;

/// <summary>Maps a dataset's class indices onto a model's output indices.</summary>
public static class LabelMap
{
    /// <summary>
    /// By name (case-insensitive) when every dataset class is one of the model's labels; otherwise by
    /// position when the counts agree (Fashion-MNIST's published order); otherwise an error naming the
    /// classes the model lacks.
    /// </summary>
    public static int[] Create(IReadOnlyList<string> datasetClasses, IReadOnlyList<string> modelLabels)
    {
        var byName = modelLabels.Select((l, i) => (Key: Normalize(l), i))
            .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var missing = datasetClasses.Where(c => !byName.ContainsKey(Normalize(c))).ToList();
        if (missing.Count == 0) return datasetClasses.Select(c => byName[Normalize(c)]).ToArray();
        if (datasetClasses.Count == modelLabels.Count) return Enumerable.Range(0, datasetClasses.Count).ToArray();
        throw new InvalidDataException(
            $"the dataset's classes {string.Join(", ", missing.Take(5).Select(m => $"'{m}'"))} are not labels of the model ({modelLabels.Count} labels), and the class counts differ ({datasetClasses.Count} vs {modelLabels.Count})");
    }

    private static string Normalize(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
