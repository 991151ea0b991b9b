using System.Globalization;
using System.Text;
using EdgeVision.Training.Runs;

namespace EdgeVision.Tools.Training;

/// <summary>metrics.csv: one row per epoch, invariant culture, the columns the curves are drawn from.</summary>
public static class MetricsCsv
{
    public const string Header = "epoch,train_loss,train_acc,val_loss,val_top1,val_top5,lr,seconds,train_img_per_s";

    public static void Write(IReadOnlyList<EpochResult> history, string path)
    {
        var sb = new StringBuilder().AppendLine(Header);
        foreach (var h in history)
        {
            sb.AppendLine(string.Join(',',
                h.Epoch.ToString(CultureInfo.InvariantCulture),
                F(h.TrainLoss), F(h.TrainAccuracy), F(h.ValidationLoss), F(h.ValidationAccuracy), F(h.ValidationTop5),
                h.LearningRate.ToString("G6", CultureInfo.InvariantCulture), h.Seconds.ToString("F1", CultureInfo.InvariantCulture),
                h.ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture)));
        }
        File.WriteAllText(path, sb.ToString());
    }

    private static string F(double v) => v.ToString("F5", CultureInfo.InvariantCulture);
}
