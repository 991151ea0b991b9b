using EdgeVision.Training.Experiments;
using ScottPlot;

namespace EdgeVision.Tools.Plots;

/// <summary>gradients.png: ‖∂L/∂W‖ per convolution from input to output, log scale; solid at initialisation, dashed after one epoch.</summary>
public static class GradientPlot
{
    public sealed record Series(string Architecture, IReadOnlyList<ConvGradient> AtInit, IReadOnlyList<ConvGradient> AfterOneEpoch);

    public static void Save(IReadOnlyList<Series> series, string path)
    {
        if (series.Count == 0) throw new ArgumentException("no gradients to plot");
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < series.Count; i++)
        {
            var colour = palette.GetColor(i);
            Line(plot, series[i].AtInit, $"{series[i].Architecture} at init", colour, LinePattern.Solid);
            Line(plot, series[i].AfterOneEpoch, $"{series[i].Architecture} after 1 epoch", colour, LinePattern.Dashed);
        }
        // ScottPlot draws linear axes: plot log10 and label the ticks as powers of ten.
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = y => $"1e{y:0.#}",
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
        };
        plot.Axes.Left.TickGenerator = ticks;
        plot.XLabel("convolution (input → output)");
        plot.YLabel("‖∂L/∂W‖ (log scale)");
        plot.Title("Gradient norm per layer: plain vs residual");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1100, 550);
    }

    private static void Line(Plot plot, IReadOnlyList<ConvGradient> gradients, string label, Color colour, LinePattern pattern)
    {
        if (gradients.Count == 0) return;
        var s = plot.Add.Scatter(gradients.Select(g => (double)g.Order).ToArray(), gradients.Select(g => Math.Log10(Math.Max(g.Norm, 1e-30))).ToArray());
        s.LegendText = label;
        s.Color = colour;
        s.LinePattern = pattern;
        s.MarkerSize = 3;
    }
}
