using System.Globalization;
using ScottPlot;

namespace EdgeVision.Tools.Plots;

/// <summary>confusion_matrix.png: rows are true classes, columns predictions, cells row-normalized with counts written in.</summary>
public static class ConfusionMatrixPlot
{
    public static int[,] Count(IReadOnlyList<int> labels, IReadOnlyList<int> predictions, int classes)
    {
        if (labels.Count != predictions.Count) throw new ArgumentException($"{labels.Count} labels but {predictions.Count} predictions");
        var m = new int[classes, classes];
        for (int i = 0; i < labels.Count; i++) m[labels[i], predictions[i]]++;
        return m;
    }

    public static void Save(int[,] matrix, IReadOnlyList<string> classes, string path, string title)
    {
        int n = classes.Count;
        var normalized = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            double total = Enumerable.Range(0, n).Sum(c => matrix[r, c]);
            for (int c = 0; c < n; c++) normalized[r, c] = total > 0 ? matrix[r, c] / total : 0;
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(normalized);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.FlipVertically = false;
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                // Heatmap cell (r, c) is centred at x = c, y = n-1-r when row 0 is drawn on top.
                var text = plot.Add.Text(matrix[r, c].ToString(CultureInfo.InvariantCulture), c, n - 1 - r);
                text.LabelFontSize = n > 12 ? 8 : 12;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = normalized[r, c] > 0.5 ? Colors.Black : Colors.White;
            }
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var yTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < n; i++)
        {
            ticks.AddMajor(i, classes[i]);
            yTicks.AddMajor(n - 1 - i, classes[i]);
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Left.TickGenerator = yTicks;
        plot.Axes.Bottom.MinimumSize = 110;
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.Title(title);
        plot.Add.ColorBar(heatmap);
        plot.SavePng(path, 900, 800);
    }
}
