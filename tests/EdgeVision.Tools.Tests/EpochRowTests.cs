using EdgeVision.Tools.Training;
using EdgeVision.Training.Runs;

namespace EdgeVision.Tools.Tests;

/// <summary>The per-epoch console row: columns line up under the header, and an epoch without validation shows dashes.</summary>
public sealed class EpochRowTests
{
    [Fact]
    public void An_unvalidated_epoch_shows_dashes_in_the_columns_of_a_validated_one()
    {
        var validated = EpochRow.Format(new EpochResult(10, 0.3962, 0.8625, 2.9876, 0.692, 0.962, 1.097e-6, 91, 5.5), best: false);
        var unvalidated = EpochRow.Format(new EpochResult(9, 0.4726, 0.825, double.NaN, double.NaN, double.NaN, 2.781e-4, 89, 5.6), best: false);

        Assert.DoesNotContain("NaN", unvalidated);
        Assert.Equal(3, unvalidated.Count(c => c == '—'));
        Assert.Equal(validated.Length, unvalidated.Length);
        Assert.Equal(EpochRow.Header.Length, validated.Length);
        // Each dash sits where the validated row's value ends.
        Assert.Equal(validated.IndexOf("2.9876", StringComparison.Ordinal) + "2.9876".Length - 1, unvalidated.IndexOf('—'));
        Assert.Contains("69.20%", validated);
    }
}
