using System.CommandLine;

namespace EdgeVision.Tools.Cli;

/// <summary>"did you mean --epochs?" for an unknown option: the verb's option nearest to it by edit distance, if near.</summary>
public static class OptionTypos
{
    public static string? Suggest(Command command, string token)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal)) return null;
        string typed = token.Split('=')[0];
        var nearest = command.Options.Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal))
            .Select(n => (Name: n, Distance: Distance(typed, n))).OrderBy(c => c.Distance).FirstOrDefault();
        // Within two edits, or a third of the name: a near miss, not another option altogether.
        return nearest.Name is not null && nearest.Distance <= Math.Max(2, typed.Length / 3) ? nearest.Name : null;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
