using System.Globalization;
using System.Diagnostics;
using EdgeVision.Data;
using EdgeVision.Training.Data;
using EdgeVision.Training.Model;
using EdgeVision.Training.Optimization;
using EdgeVision.Training.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>How a transfer run ended: the epochs, the final validation, and where the time went.</summary>
public sealed record TransferOutcome(IReadOnlyList<EpochResult> History, EvaluationResult Validation, double FeatureSeconds, double TotalSeconds);

/// <summary>
/// Trains a <see cref="TransferNetwork"/>: the head alone over cached features while the whole backbone is frozen
/// (one backbone pass per image, then epochs of a matrix product), live batches with augmentation otherwise;
/// at <see cref="TransferOptions.UnfreezeAt"/> the whole backbone joins at <see cref="TransferOptions.BackboneLearningRateScale"/>
/// times the head's rate. One cosine schedule spans all epochs. Validation runs once, after the last epoch, and
/// the last epoch is what is exported: choosing an epoch by its validation score would tune on that split.
/// Every random choice is seeded from (seed, epoch, batch) as in <see cref="Trainer"/>, so a run continued from a
/// <see cref="TransferProgress"/> file takes the same steps as one never stopped.
/// </summary>
public sealed class TransferTrainer : IDisposable
{
    private readonly TransferOptions _options;
    private readonly BackboneInput _input;
    private readonly DatasetSplits _data;
    private readonly ILogger _logger;
    private readonly SgdOptimizer _backboneOptimizer, _headOptimizer;
    private readonly TransferProgressTarget? _progress;
    private readonly SortedDictionary<string, string>? _fingerprint;

    /// <param name="progress">
    /// Where to save the run after the epochs that matter (<see cref="SavesProgressAfter"/>) and to continue from when
    /// the file is there; null: no saving, every run starts at epoch 1.
    /// </param>
    public TransferTrainer(TransferOptions options, TransferNetwork network, BackboneInput input, DatasetSplits data, ILogger? logger = null,
        TransferProgressTarget? progress = null)
    {
        options.Validate();
        _options = options;
        Network = network;
        _input = input;
        _data = data;
        _logger = logger ?? NullLogger.Instance;
        foreach (var split in new[] { data.Train, data.Validation })
        {
            if (split.Height != input.Height || split.Width != input.Width)
                throw new ArgumentException($"{split.Name}: images are {split.Height}×{split.Width}; the backbone takes {input.Height}×{input.Width}");
        }
        if (network.Head.weight!.shape[0] != data.Train.Classes.Count)
            throw new ArgumentException($"the head has {network.Head.weight.shape[0]} outputs; {data.Name} has {data.Train.Classes.Count} classes");
        network.Freeze(options.Freeze, options.KeepBatchNormStatistics);
        _backboneOptimizer = options.Sgd().OptimizerFor(network.Backbone);
        _headOptimizer = options.Sgd().OptimizerFor(network.Head);
        _progress = progress;
        // Taken before any step: the backbone-weights hash is of the pretrained weights the run starts from.
        if (progress is not null) _fingerprint = TransferFingerprint.Of(options, progress.Backbone, network, data.Train);
    }

    public TransferNetwork Network { get; }
    public int BatchSize => Math.Min(_options.BatchSize, _data.Train.Count);
    public int BatchesPerEpoch => _data.Train.Count / BatchSize;

    /// <param name="validationFeatures">
    /// The validation split's features under the frozen backbone, when the caller already has them (several head-only
    /// runs validated on one split); used only if the backbone is still wholly frozen after the last epoch.
    /// </param>
    public TransferOutcome Run(ITrainingObserver? observer = null, CancellationToken cancellationToken = default, FeatureCache? validationFeatures = null)
    {
        var total = Stopwatch.StartNew();
        var train = _data.Train;
        int batchSize = BatchSize, batches = BatchesPerEpoch;
        var schedule = _options.Sgd().ScheduleFor(batches);
        var assembler = new BatchAssembler(train, batchSize, _options.Augmentation);
        var labels = new long[batchSize];
        long[] pixelShape = [batchSize, train.Height, train.Width, train.Channels];
        FeatureCache? cache = null;
        double featureSeconds = 0, earlierSeconds = 0;
        var history = new List<EpochResult>();
        int start = 0;
        if (_progress is not null && File.Exists(_progress.Path))
            (start, featureSeconds, earlierSeconds) = Continue(TransferProgressFile.Load(_progress.Path), history);

        for (int epoch = start; epoch < _options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_options.UnfreezeAt > 0 && epoch + 1 == _options.UnfreezeAt)
            {
                Network.Freeze(FreezeDepth.None, _options.KeepBatchNormStatistics);
                cache = null;
                _logger.LogInformation("Epoch {Epoch}: the whole backbone trains from now on at ×{Scale} the head's learning rate", epoch + 1, _options.BackboneLearningRateScale);
            }
            bool cached = Network.Frozen.IsWholeBackbone;
            if (cached && cache is null)
            {
                var clock = Stopwatch.StartNew();
                cache = FeatureCache.Compute(Network.Backbone, _input, train, _options.EvalBatchSize);
                featureSeconds += clock.Elapsed.TotalSeconds;
                _logger.LogInformation("Cached {Count} feature vectors of {Split} in {Seconds:F1} s", cache.Count, train.Name, clock.Elapsed.TotalSeconds);
            }
            int[] order = Trainer.EpochOrder(train.Count, _options.Seed, epoch);
            var epochClock = Stopwatch.StartNew();
            observer?.EpochStarted(epoch, _options.Epochs, batches);
            Network.train();
            double lossSum = 0, lr = 0;
            long correct = 0, seen = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                lr = schedule.At((long)epoch * batches + b);
                int seed = Trainer.StepSeed(_options.Seed, epoch, b);
                torch.random.manual_seed(seed);
                var indices = order.AsSpan(b * batchSize, batchSize);
                using var scope = NewDisposeScope();
                Tensor logits, y;
                if (cached)
                {
                    var (features, batchLabels) = cache!.Batch(indices);
                    y = batchLabels;
                    logits = Network.Head.forward(features);
                }
                else
                {
                    var pixels = assembler.Assemble(indices, labels, new Random(seed));
                    y = torch.tensor(labels);
                    logits = Network.forward(_input.ToNetwork(torch.tensor(pixels.ToArray(), pixelShape, dtype: ScalarType.Byte)));
                }
                var loss = nn.functional.cross_entropy(logits, y);
                float batchLoss = loss.item<float>();
                if (!float.IsFinite(batchLoss)) throw Diverged(epoch, b, batchLoss, lr, cached);
                _backboneOptimizer.ZeroGrad();
                _headOptimizer.ZeroGrad();
                loss.backward();
                if (!cached) _backboneOptimizer.Step(lr * _options.BackboneLearningRateScale);
                _headOptimizer.Step(lr);
                lossSum += batchLoss * batchSize;
                correct += logits.argmax(1).eq(y).sum().item<long>();
                seen += batchSize;
                double perBatch = epochClock.Elapsed.TotalSeconds / (b + 1);
                observer?.BatchCompleted(new BatchProgress(epoch, b + 1, batches, lossSum / seen, (double)correct / seen,
                    batchSize / Math.Max(perBatch, 1e-9), lr, perBatch * (batches - b - 1)));
            }
            var result = new EpochResult(epoch + 1, lossSum / seen, (double)correct / seen, double.NaN, double.NaN, double.NaN, lr,
                epochClock.Elapsed.TotalSeconds, seen / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9));
            _logger.LogInformation("Epoch {Epoch}/{Epochs} ({Mode}): train loss {Loss:F4} acc {Acc:P2}, {Seconds:F1} s",
                epoch + 1, _options.Epochs, cached ? "cached features" : "live", result.TrainLoss, result.TrainAccuracy, result.Seconds);
            history.Add(result);
            if (_progress is not null && SavesProgressAfter(epoch, cached)) SaveProgress(epoch + 1, history, featureSeconds, earlierSeconds + total.Elapsed.TotalSeconds);
            if (epoch + 1 < _options.Epochs) observer?.EpochCompleted(result, false);
        }

        observer?.Validating(_options.Epochs - 1);
        var validation = Network.Frozen.IsWholeBackbone && validationFeatures is not null
            ? EvaluateHead(validationFeatures, _data.Validation.Classes.Count)
            : Evaluate(_data.Validation);
        var last = history[^1] with { ValidationLoss = validation.Loss, ValidationAccuracy = validation.Top1, ValidationTop5 = validation.Top5 };
        history[^1] = last;
        observer?.EpochCompleted(last, true);
        return new TransferOutcome(history, validation, featureSeconds, earlierSeconds + total.Elapsed.TotalSeconds);
    }

    // Which rate was stepping when the loss broke: the head's alone on cached features, the backbone's too once it trains.
    private TrainingDivergedException Diverged(int epoch, int batch, float loss, double lr, bool cached)
    {
        var c = CultureInfo.InvariantCulture;
        string remedy = cached
            ? string.Create(c, $"lower --lr (the head's rate is {lr:G3} there)")
            : string.Create(c, $"lower --backbone-lr-scale ({_options.BackboneLearningRateScale:G3}: the backbone stepped at {lr * _options.BackboneLearningRateScale:G3}) or --lr");
        return new(string.Create(c,
            $"training diverged in epoch {epoch + 1}, batch {batch + 1}: the loss is {loss}, so the weights are no longer numbers and nothing is exported; {remedy}"));
    }

    /// <summary>
    /// Whether the progress is saved after <paramref name="epoch"/> (0-based): after every live epoch (the backbone
    /// trained: minutes each, lost otherwise), and after the last cached epoch before <see cref="TransferOptions.UnfreezeAt"/>,
    /// so a resume starts live and never extracts the features again. Not after other cached epochs: resuming one needs
    /// the in-memory feature cache rebuilt anyway (the expensive part), after which its head-only epochs take moments,
    /// while a save writes the whole backbone (45 MB for ResNet-18) into what the bench times as a head-only cell.
    /// </summary>
    public bool SavesProgressAfter(int epoch, bool cached) => !cached || epoch + 2 == _options.UnfreezeAt;

    private void SaveProgress(int epochsDone, List<EpochResult> history, double featureSeconds, double elapsedSeconds)
    {
        var state = new TransferProgressState
        {
            Fingerprint = _fingerprint!, EpochsDone = epochsDone, History = [.. history], FeatureSeconds = featureSeconds,
            ElapsedSeconds = elapsedSeconds, SavedAt = DateTimeOffset.UtcNow,
        };
        TransferProgressFile.Save(new TransferProgress(state, NetworkWeights.Capture(Network), _backboneOptimizer.CaptureState(), _headOptimizer.CaptureState()),
            _progress!.Path);
    }

    // Restores a saved run after checking it is this run; returns the epoch to continue from and the seconds already spent.
    private (int Start, double FeatureSeconds, double ElapsedSeconds) Continue(TransferProgress saved, List<EpochResult> history)
    {
        string path = _progress!.Path;
        var differences = TransferFingerprint.Differences(saved.State.Fingerprint, _fingerprint!);
        if (differences.Count > 0)
            throw new InvalidDataException($"{path} is the progress of another run ({string.Join("; ", differences)}); delete it to start this run over");
        int done = saved.State.EpochsDone;
        if (done > _options.Epochs) throw new InvalidDataException($"{path}: {done} epochs done of a {_options.Epochs}-epoch run");
        // The optimizers and the weights are restored into the parts that train at that point of the run.
        if (_options.UnfreezeAt > 0 && done >= _options.UnfreezeAt) Network.Freeze(FreezeDepth.None, _options.KeepBatchNormStatistics);
        try
        {
            NetworkWeights.Restore(Network, saved.Weights);
            _backboneOptimizer.RestoreState(saved.BackboneMomentum);
            _headOptimizer.RestoreState(saved.HeadMomentum);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        history.AddRange(saved.State.History);
        _logger.LogInformation("Continuing from {Path}: {Done} of {Epochs} epochs done (saved {SavedAt:u})", path, done, _options.Epochs, saved.State.SavedAt);
        return (done, saved.State.FeatureSeconds, saved.State.ElapsedSeconds);
    }

    /// <summary>Eval-mode loss, top-1, top-5 and predictions over a split (the backbone in eval mode throughout).</summary>
    public EvaluationResult Evaluate(ImageDataset data)
    {
        bool wasTraining = Network.training;
        Network.eval();
        try
        {
            return Score(data.Count, data.Classes.Count, _options.EvalBatchSize, data.Labels, (start, n) =>
            {
                var pixels = torch.tensor(data.Pixels.AsSpan(start * data.ImageBytes, n * data.ImageBytes).ToArray(),
                    [n, data.Height, data.Width, data.Channels], dtype: ScalarType.Byte);
                var y = torch.tensor(data.Labels.AsSpan(start, n).ToArray().Select(l => (long)l).ToArray());
                return (Network.forward(_input.ToNetwork(pixels)), y);
            });
        }
        finally
        {
            if (wasTraining) Network.train();
        }
    }

    /// <summary>The head alone over cached features: what <see cref="Evaluate"/> gives while the backbone is wholly frozen.</summary>
    public EvaluationResult EvaluateHead(FeatureCache features, int classes) =>
        Score(features.Count, classes, 1000, features.Labels, (start, n) =>
        {
            var (x, y) = features.Batch(Enumerable.Range(start, n).ToArray());
            return (Network.Head.forward(x), y);
        });

    // Loss, top-1, top-5 and argmax over batches of (logits, labels) that run() yields for (start, count).
    private static EvaluationResult Score(int count, int classes, int batch, int[] labels, Func<int, int, (Tensor Logits, Tensor Labels)> run)
    {
        var clock = Stopwatch.StartNew();
        var predictions = new int[count];
        double lossSum = 0;
        long top1 = 0, top5 = 0;
        int k = Math.Min(5, classes);
        using (torch.no_grad())
        {
            for (int start = 0; start < count; start += batch)
            {
                int n = Math.Min(batch, count - start);
                using var scope = NewDisposeScope();
                var (logits, y) = run(start, n);
                lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
                var best = logits.topk(k, dim: 1).indexes;
                top1 += best[.., 0].eq(y).sum().item<long>();
                top5 += best.eq(y.unsqueeze(1)).any(1).sum().item<long>();
                best[.., 0].to(ScalarType.Int32).contiguous().data<int>().CopyTo(predictions.AsSpan(start, n));
            }
        }
        return new EvaluationResult(lossSum / count, (double)top1 / count, (double)top5 / count, predictions, labels,
            count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
    }

    public void Dispose()
    {
        _backboneOptimizer.Dispose();
        _headOptimizer.Dispose();
    }
}
