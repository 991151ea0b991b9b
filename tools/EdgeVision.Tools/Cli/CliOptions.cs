using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace EdgeVision.Tools.Cli;

/// <summary>
/// The option shapes the verbs use, on System.CommandLine: invariant-culture numbers with ranges, comma-separated
/// lists, choices and flags that take an optional value. Every error names the option and the bad value
/// ("--epochs must be in 1..10000, not 0"); the help shows each option's type and default.
/// </summary>
public static class CliOptions
{
    public static Option<int> Int(string name, string description, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        Int(name, description, _ => defaultValue, min, max);

    /// <summary>An integer whose default depends on other options (the factory sees the parse; help shows its value for no options).</summary>
    public static Option<int> Int(string name, string description, Func<ArgumentResult, int> defaultValue, int min = int.MinValue, int max = int.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "int",
        DefaultValueFactory = defaultValue,
        CustomParser = r => ParseInt(r, name, min, max),
    };

    /// <summary>An integer with no default: null when the option is absent.</summary>
    public static Option<int?> OptionalInt(string name, string description, int min = int.MinValue, int max = int.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "int",
        CustomParser = r => ParseInt(r, name, min, max),
    };

    public static Option<double> Double(string name, string description, double defaultValue, double min = double.MinValue, double max = double.MaxValue) =>
        Double(name, description, _ => defaultValue, min, max);

    public static Option<double> Double(string name, string description, Func<ArgumentResult, double> defaultValue, double min = double.MinValue, double max = double.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "number",
        DefaultValueFactory = defaultValue,
        CustomParser = r => ParseDouble(r, name, Text(r), min, max),
    };

    /// <summary>
    /// <c>--erasing</c> alone means <paramref name="whenBare"/>, <c>--erasing 0.3</c> sets it, no option means
    /// <paramref name="absent"/>. System.CommandLine gives a bare option its default, so the factory tells the two apart.
    /// </summary>
    public static Option<double> FlagOrNumber(string name, string description, double whenBare, double absent, double min, double max) => new(name)
    {
        Description = description,
        HelpName = "number",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = r => r.Parent is OptionResult { Implicit: false } ? whenBare : absent,
        CustomParser = r => r.Tokens.Count == 0 || Text(r) is "true" ? whenBare : ParseDouble(r, name, Text(r), min, max),
    };

    public static Option<string> String(string name, string description, string defaultValue, string helpName = "text") => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>A text option with no default: null when absent (the verb decides, or <see cref="Required"/> refuses).</summary>
    public static Option<string?> OptionalString(string name, string description, string helpName = "text") => new(name)
    {
        Description = description,
        HelpName = helpName,
    };

    public static Option<string> Required(string name, string description, string helpName = "path") => new(name)
    {
        Description = description,
        HelpName = helpName,
        Required = true,
    };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>One of <paramref name="values"/> (offered to tab completion); anything else is an error listing them.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] values)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', values),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseChoice(r, name, values),
        };
        option.CompletionSources.Add(values);
        return option;
    }

    /// <summary>One of <paramref name="values"/>, or null when absent (the verb's default depends on more than the option).</summary>
    public static Option<string?> OptionalChoice(string name, string description, params string[] values)
    {
        var option = new Option<string?>(name)
        {
            Description = description,
            HelpName = string.Join('|', values),
            CustomParser = r => ParseChoice(r, name, values),
        };
        option.CompletionSources.Add(values);
        return option;
    }

    /// <summary>Comma-separated numbers, e.g. <c>--mean 0.485,0.456,0.406</c>; read it with <see cref="ValueIfGiven"/> (null when absent).</summary>
    public static Option<float[]?> Numbers(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "n,n,…",
        CustomParser = r =>
        {
            string text = Text(r);
            var values = new List<float>();
            foreach (string part in text.Split(','))
            {
                if (!float.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float f) || !float.IsFinite(f))
                    return Error<float[]?>(r, $"{name} must be comma-separated numbers, not '{text}'", null);
                values.Add(f);
            }
            return [.. values];
        },
    };

    /// <summary>A comma-separated list (<c>--models resnet18,resnet20</c>), blanks dropped; help shows the default as typed.</summary>
    public static Option<CommaList<string>> List(string name, string description, params string[] defaultValue) => new(name)
    {
        Description = description,
        HelpName = "a,b,…",
        DefaultValueFactory = _ => new CommaList<string>(defaultValue),
        CustomParser = r => new CommaList<string>(Text(r).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
    };

    /// <summary>A comma-separated list with no default; read it with <see cref="ValueIfGiven"/> (null when absent).</summary>
    public static Option<string[]?> OptionalList(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "a,b,…",
        CustomParser = r => Text(r).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    /// <summary>Whether the user gave <paramref name="option"/> (not its default); usable inside another option's default factory.</summary>
    public static bool IsGiven(this SymbolResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <summary>
    /// The option's value, or null when it was not given: System.CommandLine hands an absent array option over as an
    /// empty array, which would read as "no providers" rather than "the default ones".
    /// </summary>
    public static T? ValueIfGiven<T>(this ParseResult parse, Option<T?> option) where T : class => parse.IsGiven(option) ? parse.GetValue(option) : null;

    /// <summary>Whether the user gave <paramref name="option"/> on this command line.</summary>
    public static bool IsGiven(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>The integer in <paramref name="r"/>, or an error naming <paramref name="name"/>, its range and the bad value.</summary>
    public static int ParseInt(ArgumentResult r, string name, int min, int max)
    {
        string text = Text(r);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) return Error(r, $"{name} must be an integer, not '{text}'", 0);
        return v < min || v > max ? Error(r, $"{name} must be in {min}..{max}, not {v}", 0) : v;
    }

    private static double ParseDouble(ArgumentResult r, string name, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            return Error(r, $"{name} must be a number, not '{text}'", 0.0);
        return v < min || v > max
            ? Error(r, $"{name} must be in {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}, not {text}", 0.0)
            : v;
    }

    private static string ParseChoice(ArgumentResult r, string name, string[] values) =>
        values.Contains(Text(r), StringComparer.Ordinal) ? Text(r) : Error(r, $"{name} must be {Or(values)}, not '{Text(r)}'", "");

    private static string Text(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[0].Value : "";

    private static T Error<T>(ArgumentResult r, string message, T placeholder)
    {
        r.AddError(message);
        return placeholder;
    }

    internal static string Or(IReadOnlyList<string> values) =>
        values.Count == 1 ? values[0] : string.Join(", ", values.Take(values.Count - 1)) + " or " + values[^1];
}
