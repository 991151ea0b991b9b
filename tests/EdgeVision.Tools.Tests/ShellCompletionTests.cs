namespace EdgeVision.Tools.Tests;

/// <summary>The [suggest] directive the completion script (scripts/edgevision-completion.bash) and dotnet-suggest call.</summary>
public sealed class ShellCompletionTests
{
    private static async Task<string[]> Suggest(string line) =>
        (await CliRun.Of($"[suggest:{line.Length}]", line)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Completing_an_option_prefix_offers_the_verbs_options()
    {
        var words = await Suggest("edgevision train --ep");
        Assert.Contains("--epochs", words);
        Assert.DoesNotContain("--freeze", words);
    }

    [Fact]
    public async Task Completing_after_the_tool_name_offers_every_verb()
    {
        var words = await Suggest("edgevision ");
        foreach (string verb in new[] { "zoo", "train", "eval", "export", "import", "quantize", "precision", "bench", "winograd", "teach", "transfer-bench", "experiment" })
            Assert.Contains(verb, words);
    }

    [Fact]
    public async Task Completing_a_choice_offers_its_values()
    {
        var words = await Suggest("edgevision train --schedule ");
        Assert.Equal(["cosine", "step"], words.Order());
    }
}
