using System.Globalization;
using EdgeVision.Training.Runs;
using Spectre.Console;

namespace EdgeVision.Tools.Training;

/// <summary>
/// Shows a training run: a live progress bar per epoch on a terminal, or a plain line every
/// <see cref="LogInterval"/> batches when output goes to a file (nohup, CI), plus one row per epoch.
/// </summary>
public sealed class ConsoleTrainingObserver : ITrainingObserver
{
    public const int LogInterval = 50;
    private readonly ProgressContext? _context;
    private ProgressTask? _task;
    private bool _headerPrinted;

    public ConsoleTrainingObserver(ProgressContext? context) => _context = context;

    public void EpochStarted(int epoch, int epochs, int batches)
    {
        if (!_headerPrinted)
        {
            if (_context is null) Console.WriteLine(EpochRow.Header);
            else AnsiConsole.MarkupLine("[bold]{0}[/]", Markup.Escape(EpochRow.Header));
            _headerPrinted = true;
        }
        if (_context is not null)
        {
            _task = _context.AddTask($"epoch {epoch + 1}/{epochs}", maxValue: batches);
        }
    }

    public void BatchCompleted(BatchProgress p)
    {
        if (_task is not null)
        {
            _task.Value = p.Batch;
            _task.Description = string.Create(CultureInfo.InvariantCulture,
                $"epoch {p.Epoch + 1}  loss {p.Loss:F3}  acc {p.Accuracy * 100:F1}%  {p.ImagesPerSecond:F0} img/s");
        }
        else if (p.Batch % LogInterval == 0 || p.Batch == p.Batches)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {p.Epoch + 1} batch {p.Batch}/{p.Batches}  loss {p.Loss:F4}  acc {p.Accuracy * 100:F2}%  lr {p.LearningRate:G4}  {p.ImagesPerSecond:F0} img/s  ETA {p.EtaSeconds:F0} s"));
        }
    }

    public void Validating(int epoch)
    {
        if (_task is not null) _task.Description = $"epoch {epoch + 1}  validating…";
    }

    public void EpochCompleted(EpochResult result, bool best)
    {
        if (_task is not null)
        {
            _task.StopTask();
        }
        // Spectre wraps at the console width when output is redirected; a log file wants whole rows.
        if (_context is null) Console.WriteLine(EpochRow.Format(result, best));
        else AnsiConsole.WriteLine(EpochRow.Format(result, best));
    }
}

/// <summary>The per-epoch line, fixed-width so rows printed one at a time line up as a table.</summary>
public static class EpochRow
{
    public const string Header = "epoch   train loss  train acc    val loss   val top-1   val top-5         lr      time";

    public static string Format(EpochResult r, bool best) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Epoch,5}  {r.TrainLoss,11:F4}  {r.TrainAccuracy * 100,8:F2}%  {Value(r.ValidationLoss, 10, "F4", "")}  {Value(r.ValidationAccuracy * 100, 9, "F2", "%")}  {Value(r.ValidationTop5 * 100, 9, "F2", "%")}  {r.LearningRate,9:G4}  {r.Seconds,6:F0} s{(best ? "  *best" : "")}");

    // An epoch that was not validated (a transfer run validates after its last epoch only) shows a dash, not NaN.
    private static string Value(double value, int width, string format, string unit) =>
        double.IsNaN(value) ? "—".PadLeft(width + unit.Length) : value.ToString(format, CultureInfo.InvariantCulture).PadLeft(width) + unit;
}
