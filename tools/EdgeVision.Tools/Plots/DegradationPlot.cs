using EdgeVision.Training.Experiments;
using ScottPlot;

namespace EdgeVision.Tools.Plots;

/// <summary>
/// degradation.png in the layout of He et al. 2015, Fig. 6: plain networks left, residual right; error (%) per
/// epoch, test solid, training dashed, one colour per depth.
/// </summary>
public static class DegradationPlot
{
    public static void Save(IReadOnlyList<DegradationRun> runs, string path, string dataset)
    {
        if (runs.Count == 0 || runs.All(r => r.History.Count == 0)) throw new ArgumentException("no epochs to plot");
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Panel(multiplot.GetPlot(0), runs.Where(r => r.Architecture.StartsWith("plain", StringComparison.Ordinal)).ToList(), $"plain ({dataset})");
        Panel(multiplot.GetPlot(1), runs.Where(r => !r.Architecture.StartsWith("plain", StringComparison.Ordinal)).ToList(), $"residual ({dataset})");
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, 1200, 450);
    }

    private static void Panel(Plot plot, IReadOnlyList<DegradationRun> runs, string title)
    {
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            if (run.History.Count == 0) continue;
            double[] epochs = run.History.Select(h => (double)h.Epoch).ToArray();
            var colour = palette.GetColor(i);
            var test = plot.Add.Scatter(epochs, run.History.Select(h => (1 - h.ValidationAccuracy) * 100).ToArray());
            test.LegendText = $"{run.Architecture} test";
            test.Color = colour;
            test.LineWidth = 2;
            var train = plot.Add.Scatter(epochs, run.History.Select(h => (1 - h.TrainAccuracy) * 100).ToArray());
            train.LegendText = $"{run.Architecture} train";
            train.Color = colour;
            train.LinePattern = LinePattern.Dashed;
            foreach (var s in new[] { test, train }) s.MarkerSize = epochs.Length > 40 ? 0 : 4;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("error (%)");
        plot.ShowLegend(Alignment.UpperRight);
    }
}
