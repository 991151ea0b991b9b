namespace EdgeVision.Inference;

/// <summary>The highest scores of one image, without sorting the whole vector or allocating.</summary>
public static class TopK
{
    /// <summary>
    /// Writes the indices of the <c>min(indices.Length, scores.Length)</c> highest scores into
    /// <paramref name="indices"/>, highest first (ties: lower index first); returns how many were written.
    /// NaN scores rank below every number.
    /// </summary>
    public static int Select(ReadOnlySpan<float> scores, Span<int> indices)
    {
        int k = Math.Min(indices.Length, scores.Length);
        if (k == 0) return 0;
        int filled = 0;
        // Insertion into a k-long sorted prefix: O(n·k) worst case, O(n) for k = 5 in practice because
        // most scores fail the first comparison against the current k-th best.
        for (int i = 0; i < scores.Length; i++)
        {
            float s = scores[i];
            if (filled == k && !Better(s, i, scores[indices[k - 1]], indices[k - 1])) continue;
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && Better(s, i, scores[indices[pos - 1]], indices[pos - 1]))
            {
                indices[pos] = indices[pos - 1];
                pos--;
            }
            indices[pos] = i;
        }
        return k;
    }

    private static bool Better(float a, int ia, float b, int ib)
    {
        if (float.IsNaN(a)) return false;
        if (float.IsNaN(b)) return true;
        return a > b || (a == b && ia < ib);
    }
}
