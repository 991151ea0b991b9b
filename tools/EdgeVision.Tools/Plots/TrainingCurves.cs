using EdgeVision.Training.Runs;
using ScottPlot;

namespace EdgeVision.Tools.Plots;

/// <summary>results.png: loss (left) and accuracy (right) per epoch, train and validation.</summary>
public static class TrainingCurves
{
    public static void Save(IReadOnlyList<EpochResult> history, string path)
    {
        if (history.Count == 0) throw new ArgumentException("no epochs to plot");
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var loss = multiplot.GetPlot(0);
        AddSeries(loss, epochs, history.Select(h => h.TrainLoss), "train");
        AddSeries(loss, epochs, history.Select(h => h.ValidationLoss), "val");
        loss.Title("Loss");
        loss.XLabel("epoch");
        loss.ShowLegend(Alignment.UpperRight);

        var accuracy = multiplot.GetPlot(1);
        AddSeries(accuracy, epochs, history.Select(h => h.TrainAccuracy * 100), "train");
        AddSeries(accuracy, epochs, history.Select(h => h.ValidationAccuracy * 100), "val top-1");
        accuracy.Title("Accuracy (%)");
        accuracy.XLabel("epoch");
        accuracy.ShowLegend(Alignment.LowerRight);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, 1200, 450);
    }

    private static void AddSeries(Plot plot, double[] x, IEnumerable<double> y, string label)
    {
        var s = plot.Add.Scatter(x, y.ToArray());
        s.LegendText = label;
        s.MarkerSize = x.Length > 40 ? 0 : 5;
    }
}
