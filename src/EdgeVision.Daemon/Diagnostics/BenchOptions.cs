using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace EdgeVision.Daemon.Diagnostics;

/// <summary>The options both benchmarks share, each with its own default and range.</summary>
internal static class BenchOptions
{
    public static Option<double> Seconds(double defaultValue, double min, bool minInclusive, double max)
    {
        string range = $"{(minInclusive ? "[" : "(")}{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]";
        return new Option<double>("--bench-seconds")
        {
            Description = "seconds per measurement",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                string text = Text(r);
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && (minInclusive ? v >= min : v > min) && v <= max) return v;
                r.AddError($"--bench-seconds must be a number of seconds in {range}, not '{text}'");
                return 0;
            },
        };
    }

    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            string text = Text(r);
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max) return v;
            r.AddError($"{name} must be a whole number in {min}..{max}, not '{text}'");
            return 0;
        },
    };

    private static string Text(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[0].Value : "";

    public static Option<string?> Output() => new("--bench-out") { Description = "Markdown file the section is appended to" };

    /// <summary>
    /// Parses <paramref name="args"/> for <paramref name="command"/>; bad input is printed (prefixed with
    /// <paramref name="name"/>, each error naming its option) and returns exit code 2 before anything is measured.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand command, string name, string[] args)
    {
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"{name}: {error.Message}");
            return 2;
        }
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }
}
