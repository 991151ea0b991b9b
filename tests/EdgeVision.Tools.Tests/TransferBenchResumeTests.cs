using EdgeVision.Data;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;
using EdgeVision.Training;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Data;
using EdgeVision.Training.Model;
using EdgeVision.Training.Runs;

namespace EdgeVision.Tools.Tests;

/// <summary>
/// transfer-bench's scratch cells across stops: a stopped cell is not recorded, the same command continues it from its
/// checkpoint instead of retraining, and a changed recipe is refused rather than continued with the old one.
/// </summary>
public sealed class TransferBenchResumeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ev-tbresume-" + Guid.NewGuid().ToString("N"));

    public TransferBenchResumeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<CliRun> Bench(int epochs, CancellationToken cancellationToken = default) =>
        CliRun.Of(["transfer-bench", "--out", _dir, "--cells", "scratch:10", "--epochs", epochs.ToString(), "--threads", "1"], cancellationToken);

    private string[] Results() =>
        File.Exists(Path.Combine(_dir, "results.jsonl")) ? File.ReadAllLines(Path.Combine(_dir, "results.jsonl")).Where(l => l.Length > 0).ToArray() : [];

    [Fact]
    public async Task A_stopped_scratch_cell_is_not_recorded_and_the_same_command_continues_it()
    {
        // One epoch of two, trained exactly as the cell would train it (the bench's subset, recipe and directory), then stopped.
        string cell = TransferBenchCommand.ScratchDirectory(_dir, "10");
        var train = BalancedSubset.Take(FashionMnist.Split("train"), 10, seed: 1);
        double firstEpochSeconds;
        using (var trainer = new Trainer(TransferBenchCommand.ScratchOptions(epochs: 2, lr: 0.1, seed: 1),
                   new DatasetSplits("fashion-mnist", train, train.Take(50)), NetworkInput.FashionMnist, cell))
        {
            var stopped = trainer.Run(null, trainer.BatchesPerEpoch, CancellationToken.None);
            Assert.False(stopped.Completed);
            firstEpochSeconds = Assert.Single(stopped.State.History).Seconds;
        }

        // Ctrl-C before the cell's next batch: exit 130, nothing measured (half-trained weights are not a result). The
        // cell did run: its trainer saved the checkpoint again where it stopped.
        string last = Path.Combine(cell, Trainer.LastCheckpointName);
        var savedAt = File.GetLastWriteTimeUtc(last);
        await Task.Delay(20);
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        var cancelled = await Bench(2, stop.Token);
        Assert.True(cancelled.Code == EdgeVisionCli.Cancelled, $"exit {cancelled.Code}; stderr: {cancelled.Error}");
        Assert.Empty(Results());
        Assert.NotEqual(savedAt, File.GetLastWriteTimeUtc(last));

        var finished = await Bench(2);
        Assert.True(finished.Code == 0, $"exit {finished.Code}; stderr: {finished.Error}");
        var history = CheckpointFile.Load(last).State.History;
        Assert.Equal(2, history.Count);
        Assert.Equal(firstEpochSeconds, history[0].Seconds); // the first epoch was kept, not trained again
        Assert.Contains("\"Kind\":\"scratch\"", Assert.Single(Results()));

        // A longer budget is another recipe: the saved two-epoch run is not stretched to three.
        var changed = await Bench(3);
        Assert.Equal(1, changed.Code);
        Assert.Contains(cell, changed.Error);
        Assert.Contains("epochs 2 there, 3 here", changed.Error);
        Assert.Single(Results());
    }
}
