using System.Globalization;
using EdgeVision.Training.Experiments;
using ScottPlot;

namespace EdgeVision.Tools.Plots;

/// <summary>
/// lesion.png: test top-1 with each block removed, one bar per network per block; downsampling blocks marked ↓, the
/// intact accuracy as a line. One panel per depth, since block i of a 20-layer net is not block i of a 56-layer one.
/// </summary>
public static class LesionPlot
{
    public static void Save(IReadOnlyList<LesionResult> results, string path)
    {
        if (results.Count == 0) throw new ArgumentException("no lesion results to plot");
        var groups = results.GroupBy(r => r.Rows.Count).OrderByDescending(g => g.Key).Select(g => g.ToList()).ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(groups.Count);
        for (int g = 0; g < groups.Count; g++) Panel(multiplot.GetPlot(g), groups[g]);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        multiplot.SavePng(path, Math.Max(900, groups[0][0].Rows.Count * 30), 420 * groups.Count);
    }

    private static void Panel(Plot plot, IReadOnlyList<LesionResult> results)
    {
        var palette = new ScottPlot.Palettes.Category10();
        int blocks = results[0].Rows.Count;
        double width = 0.8 / results.Count;
        for (int m = 0; m < results.Count; m++)
        {
            var colour = palette.GetColor(m);
            var bars = results[m].Rows.Where(r => r.Top1 is not null).Select(r => new Bar
            {
                Position = r.Index + (m - (results.Count - 1) / 2.0) * width,
                Value = r.Top1!.Value * 100,
                Size = width * 0.95,
                FillColor = colour,
            }).ToList();
            var series = plot.Add.Bars(bars);
            series.LegendText = results[m].Architecture;
            var intact = plot.Add.HorizontalLine(results[m].IntactTop1 * 100, 1, colour, LinePattern.Dotted);
            intact.LegendText = $"{results[m].Architecture} intact";
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var row in results[0].Rows)
            ticks.AddMajor(row.Index, row.Index.ToString(CultureInfo.InvariantCulture) + (row.Downsampling ? "↓" : ""));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsY(0, 100);
        plot.Axes.SetLimitsX(-1, blocks);
        plot.XLabel("block removed (↓ = downsampling)");
        plot.YLabel("test top-1 (%)");
        plot.Title($"Lesion study: one block removed at test time ({blocks} blocks)");
        plot.ShowLegend(Alignment.LowerLeft);
    }
}
