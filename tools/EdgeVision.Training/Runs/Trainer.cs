using System.Diagnostics;
using EdgeVision.Core.Architecture;
using EdgeVision.Data;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Data;
using EdgeVision.Training.Model;
using EdgeVision.Training.Optimization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Runs;

/// <summary>How <see cref="Trainer.Run"/> ended and where it left its checkpoints.</summary>
public sealed record TrainingOutcome(bool Completed, CheckpointState State, string LastCheckpoint, string BestCheckpoint);

/// <summary>
/// Trains one network on one dataset. Every random choice (shuffle, augmentation, stochastic depth) is
/// seeded from (seed, epoch, batch), so a run resumed from any checkpoint — even one written by Ctrl-C in
/// the middle of an epoch — continues exactly as if it had never stopped.
/// </summary>
public sealed class Trainer : IDisposable
{
    public const string LastCheckpointName = "last.ckpt";
    public const string BestCheckpointName = "best.ckpt";

    private readonly TrainingOptions _options;
    private readonly DatasetSplits _data;
    private readonly NetworkInput _input;
    private readonly string _outputDirectory;
    private readonly ILogger _logger;
    private readonly SgdOptimizer _optimizer;
    private CheckpointState _state;

    public Trainer(TrainingOptions options, DatasetSplits data, NetworkInput input, string outputDirectory, ILogger? logger = null)
    {
        options.Validate();
        _options = options;
        _data = data;
        _input = input;
        _outputDirectory = outputDirectory;
        _logger = logger ?? NullLogger.Instance;
        if (data.Train.Channels != data.Validation.Channels || data.Train.Height != data.Validation.Height || data.Train.Width != data.Validation.Width)
            throw new ArgumentException($"{data.Name}: train and validation images differ in size or channels");
        if (data.Train.Count < options.BatchSize)
            throw new ArgumentException($"{data.Name}: {data.Train.Count} training images are fewer than one batch of {options.BatchSize}");

        torch.random.manual_seed(options.Seed);
        var plan = NetworkZoo.Create(options.Architecture, input.Channels, data.Train.Classes.Count);
        Network = ZooNetworks.Create(plan, new NetworkOptions
        {
            ZeroInitResidual = options.ZeroInitResidual,
            FinalSurvivalProbability = options.FinalSurvivalProbability,
        });
        _optimizer = options.Sgd().OptimizerFor(Network);
        _state = new CheckpointState
        {
            Options = options,
            Architecture = plan.Name,
            InputChannels = input.Channels,
            Labels = data.Train.Classes,
            Color = input.Color,
            Mean = input.Mean,
            Std = input.Std,
            InputHeight = data.Train.Height,
            InputWidth = data.Train.Width,
            Dataset = data.Name,
        };
    }

    /// <summary>Continues the run saved in <paramref name="checkpoint"/> with its own options.</summary>
    public static Trainer Resume(Checkpoint checkpoint, DatasetSplits data, string outputDirectory, ILogger? logger = null)
    {
        var s = checkpoint.State;
        if (!s.Labels.SequenceEqual(data.Train.Classes))
            throw new ArgumentException($"the checkpoint's classes ({string.Join(", ", s.Labels)}) differ from the dataset's ({string.Join(", ", data.Train.Classes)})");
        var trainer = new Trainer(s.Options, data, new NetworkInput(s.Color, s.Mean, s.Std), outputDirectory, logger);
        NetworkWeights.Restore(trainer.Network, checkpoint.Weights);
        trainer._optimizer.RestoreState(checkpoint.Momentum);
        trainer._state = s;
        return trainer;
    }

    public ZooNetwork Network { get; }
    public CheckpointState State => _state;
    public string LastCheckpointPath => Path.Combine(_outputDirectory, LastCheckpointName);
    public string BestCheckpointPath => Path.Combine(_outputDirectory, BestCheckpointName);
    public int BatchesPerEpoch => _data.Train.Count / _options.BatchSize;

    public TrainingOutcome Run(ITrainingObserver? observer = null, CancellationToken cancellationToken = default) =>
        Run(observer, int.MaxValue, cancellationToken);

    /// <summary>Trains until the last epoch, or stops (saving a checkpoint) after <paramref name="maxSteps"/> batches or on cancellation.</summary>
    public TrainingOutcome Run(ITrainingObserver? observer, int maxSteps, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_outputDirectory);
        var train = _data.Train;
        int batches = BatchesPerEpoch;
        var schedule = _options.Sgd().ScheduleFor(batches);
        var assembler = new BatchAssembler(train, _options.BatchSize, _options.Augmentation);
        var labels = new long[_options.BatchSize];
        long[] pixelShape = [_options.BatchSize, train.Height, train.Width, train.Channels];
        int stepsDone = 0;

        for (int epoch = _state.Epoch; epoch < _options.Epochs; epoch++)
        {
            int[] order = EpochOrder(train.Count, _options.Seed, epoch);
            int startBatch = _state.BatchInEpoch;
            double lossSum = _state.PartialLossSum, previousSeconds = _state.PartialSeconds;
            long correct = _state.PartialCorrect, seen = _state.PartialSeen;
            double lr = schedule.At((long)epoch * batches + startBatch);
            var clock = Stopwatch.StartNew();
            observer?.EpochStarted(epoch, _options.Epochs, batches);
            Network.train();
            for (int b = startBatch; b < batches; b++)
            {
                if (cancellationToken.IsCancellationRequested || stepsDone >= maxSteps)
                {
                    _state = _state with
                    {
                        Epoch = epoch, BatchInEpoch = b, PartialLossSum = lossSum, PartialCorrect = correct, PartialSeen = seen,
                        PartialSeconds = previousSeconds + clock.Elapsed.TotalSeconds,
                    };
                    SaveCheckpoint(LastCheckpointPath);
                    _logger.LogInformation("Stopped at epoch {Epoch} batch {Batch}; checkpoint {Path}", epoch + 1, b, LastCheckpointPath);
                    return new TrainingOutcome(false, _state, LastCheckpointPath, BestCheckpointPath);
                }
                long step = (long)epoch * batches + b;
                lr = schedule.At(step);
                int seed = StepSeed(_options.Seed, epoch, b);
                var random = new Random(seed);
                torch.random.manual_seed(seed);
                var pixels = assembler.Assemble(order.AsSpan(b * _options.BatchSize, _options.BatchSize), labels, random);

                using (var scope = NewDisposeScope())
                {
                    var x = _input.ToNetwork(torch.tensor(pixels.ToArray(), pixelShape, dtype: ScalarType.Byte));
                    var y = torch.tensor(labels);
                    var logits = Network.forward(x);
                    var loss = nn.functional.cross_entropy(logits, y, label_smoothing: _options.LabelSmoothing);
                    _optimizer.ZeroGrad();
                    loss.backward();
                    _optimizer.Step(lr);
                    lossSum += loss.item<float>() * _options.BatchSize;
                    correct += logits.argmax(1).eq(y).sum().item<long>();
                    seen += _options.BatchSize;
                }
                stepsDone++;
                double elapsed = clock.Elapsed.TotalSeconds;
                double perBatch = elapsed / (b + 1 - startBatch);
                observer?.BatchCompleted(new BatchProgress(epoch, b + 1, batches, lossSum / seen, (double)correct / seen,
                    _options.BatchSize / Math.Max(perBatch, 1e-9), lr, perBatch * (batches - b - 1)));
            }
            double trainSeconds = clock.Elapsed.TotalSeconds;
            observer?.Validating(epoch);
            var validation = Evaluate(_data.Validation);
            double seconds = previousSeconds + clock.Elapsed.TotalSeconds;
            var result = new EpochResult(epoch + 1, lossSum / seen, (double)correct / seen, validation.Loss, validation.Top1, validation.Top5,
                lr, seconds, (batches - startBatch) * _options.BatchSize / Math.Max(trainSeconds, 1e-9));
            bool best = validation.Top1 > _state.BestValidationAccuracy;
            _state = _state with
            {
                Epoch = epoch + 1, BatchInEpoch = 0, PartialLossSum = 0, PartialCorrect = 0, PartialSeen = 0, PartialSeconds = 0,
                History = [.. _state.History, result],
                BestValidationAccuracy = best ? validation.Top1 : _state.BestValidationAccuracy,
                BestValidationTop5 = best ? validation.Top5 : _state.BestValidationTop5,
                BestEpoch = best ? epoch + 1 : _state.BestEpoch,
            };
            SaveCheckpoint(LastCheckpointPath);
            if (best) SaveCheckpoint(BestCheckpointPath);
            _logger.LogInformation("Epoch {Epoch}/{Epochs}: train loss {TrainLoss:F4} acc {TrainAcc:P2}, val loss {ValLoss:F4} top-1 {ValAcc:P2} top-5 {Top5:P2}, {Seconds:F0} s",
                epoch + 1, _options.Epochs, result.TrainLoss, result.TrainAccuracy, result.ValidationLoss, result.ValidationAccuracy, result.ValidationTop5, seconds);
            observer?.EpochCompleted(result, best);
        }
        return new TrainingOutcome(true, _state, LastCheckpointPath, BestCheckpointPath);
    }

    /// <summary>Eval-mode loss (no label smoothing), top-1, top-5 and predictions over a whole split.</summary>
    public EvaluationResult Evaluate(ImageDataset data) => Evaluate(Network, _input, data, _options.EvalBatchSize);

    public static EvaluationResult Evaluate(ZooNetwork network, NetworkInput input, ImageDataset data, int batchSize = 500)
    {
        bool wasTraining = network.training;
        network.eval();
        var clock = Stopwatch.StartNew();
        var predictions = new int[data.Count];
        double lossSum = 0;
        long top1 = 0, top5 = 0;
        int k = Math.Min(5, data.Classes.Count);
        using (torch.no_grad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                int n = Math.Min(batchSize, data.Count - start);
                using var scope = NewDisposeScope();
                var pixels = torch.tensor(data.Pixels.AsSpan(start * data.ImageBytes, n * data.ImageBytes).ToArray(),
                    [n, data.Height, data.Width, data.Channels], dtype: ScalarType.Byte);
                var y = torch.tensor(data.Labels.AsSpan(start, n).ToArray().Select(l => (long)l).ToArray());
                var logits = network.forward(input.ToNetwork(pixels));
                lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
                var best = logits.topk(k, dim: 1).indexes;
                top1 += best[.., 0].eq(y).sum().item<long>();
                top5 += best.eq(y.unsqueeze(1)).any(1).sum().item<long>();
                var argmax = best[.., 0].to(ScalarType.Int32).contiguous().data<int>().ToArray();
                argmax.CopyTo(predictions, start);
            }
        }
        if (wasTraining) network.train();
        return new EvaluationResult(lossSum / data.Count, (double)top1 / data.Count, (double)top5 / data.Count, predictions, data.Labels,
            data.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
    }

    public void SaveCheckpoint(string path) =>
        CheckpointFile.Save(new Checkpoint(_state with { SavedAt = DateTimeOffset.UtcNow }, NetworkWeights.Capture(Network), _optimizer.CaptureState()), path);

    /// <summary>The visiting order of one epoch: a seeded Fisher–Yates shuffle.</summary>
    public static int[] EpochOrder(int count, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(StepSeed(seed, epoch, -1)).Shuffle(order);
        return order;
    }

    // HashCode.Combine is randomized per process; a fixed mix keeps seeds stable across runs.
    public static int StepSeed(int seed, int epoch, int batch)
    {
        unchecked
        {
            uint h = (uint)seed * 0x9E3779B1u;
            h ^= (uint)epoch * 0x85EBCA77u + (h << 6) + (h >> 2);
            h ^= (uint)batch * 0xC2B2AE3Du + (h << 6) + (h >> 2);
            return (int)(h & 0x7FFFFFFF);
        }
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Network.Dispose();
    }
}
