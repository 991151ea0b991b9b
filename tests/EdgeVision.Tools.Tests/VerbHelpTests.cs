using System.CommandLine;
using EdgeVision.Tools.Cli;

namespace EdgeVision.Tools.Tests;

/// <summary>The generated help: every verb answers --help with its options, their types and defaults.</summary>
public sealed class VerbHelpTests
{
    private static readonly string[] VerbNames =
    [
        "zoo", "train", "eval", "export", "import", "quantize", "precision", "bench", "winograd", "teach", "transfer-bench",
        "experiment", "experiment degradation", "experiment lesion", "experiment gradients",
    ];

    public static TheoryData<string> Verbs() => new(VerbNames);

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Every_verb_answers_help_with_exit_0_and_its_usage(string verb)
    {
        var run = await CliRun.Of([.. verb.Split(' '), "--help"]);
        Assert.Equal(0, run.Code);
        // The usage line starts with the executable's name: edgevision, or the test host here.
        Assert.Contains($" {verb} [", run.Output.Split("Usage:")[1].Split('\n')[1]);
        Assert.Contains("--help", run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void The_help_theory_covers_every_verb_the_tool_has()
    {
        static IEnumerable<string> Paths(Command command, string prefix) =>
            command.Subcommands.SelectMany(c => Paths(c, prefix + c.Name + " ").Prepend(prefix + c.Name));
        Assert.Equal(Paths(EdgeVisionCli.Build(), "").Order(), VerbNames.Order());
    }

    [Theory]
    [InlineData("train", "--epochs <int>", "[default: 30]")]
    [InlineData("train", "--schedule <cosine|step>", "[default: cosine]")]
    [InlineData("eval", "--batch <int>", "[default: 64]")]
    [InlineData("bench", "--batches <n,n,…>", "[default: 1,8]")]
    [InlineData("bench", "--frame <WIDTHxHEIGHT>", "[default: 1280x720]")]
    [InlineData("winograd", "--seconds <number>", "[default: 2]")]
    [InlineData("experiment gradients", "--subset <int>", "[default: 5000]")]
    public async Task A_verbs_help_lists_an_option_with_its_type_and_default(string verb, string option, string defaultValue)
    {
        string line = (await CliRun.Of([.. verb.Split(' '), "--help"])).Output.Split('\n').Single(l => l.TrimStart().StartsWith(option, StringComparison.Ordinal));
        Assert.Contains(defaultValue, line);
    }

    [Fact]
    public async Task No_verb_is_a_usage_error_that_lists_the_verbs_one_line_each()
    {
        var run = await CliRun.Of();
        Assert.Equal(EdgeVisionCli.UsageError, run.Code);
        var train = run.Output.Split('\n').Where(l => l.TrimStart().StartsWith("train ", StringComparison.Ordinal)).ToList();
        Assert.Equal("train a ResNet on Fashion-MNIST or an image folder; writes checkpoints, curves and best.onnx", Assert.Single(train).Trim()[5..].Trim());
        Assert.DoesNotContain("--resume runs/NAME", run.Output); // the verb's examples stay in its own --help
        Assert.Contains("--resume runs/NAME", (await CliRun.Of("train", "--help")).Output);
    }
}
