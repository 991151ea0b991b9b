namespace EdgeVision.Training.Runs;

/// <summary>One row of the training history (the epoch table, metrics.csv, the curves).</summary>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double ValidationTop5,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond);

/// <summary>Live numbers inside an epoch (the progress bar).</summary>
public readonly record struct BatchProgress(int Epoch, int Batch, int Batches, double Loss, double Accuracy, double ImagesPerSecond, double LearningRate, double EtaSeconds);

/// <summary>Evaluation of a network over one split.</summary>
public sealed record EvaluationResult(double Loss, double Top1, double Top5, int[] Predictions, int[] Labels, double ImagesPerSecond);

/// <summary>What the caller shows while training runs; every method is called on the training thread.</summary>
public interface ITrainingObserver
{
    void EpochStarted(int epoch, int epochs, int batches);
    void BatchCompleted(BatchProgress progress);
    void Validating(int epoch);
    void EpochCompleted(EpochResult result, bool best);
}
