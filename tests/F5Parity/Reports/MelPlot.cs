using ScottPlot;
using static TorchSharp.torch;

namespace F5Parity.Reports;

/// <summary>
/// Renders a mel spectrogram (d, n) = (n_mels, frames) as a PNG heatmap with ScottPlot (headless, SkiaSharp):
/// frames along x, mel bin 0 at the bottom, a colour bar for the values, a title.
/// </summary>
public static class MelPlot
{
    public static void SavePng(Tensor mel, string path, string title, int width = 1000, int height = 400)
    {
        var (nMels, frames) = Metrics.MelFrames.ShapeOf(mel, nameof(mel));
        var frameMajor = Metrics.MelFrames.ToFrameMajor(mel, nameof(mel));
        // Heatmap rows are y: row k holds mel bin k across frames.
        var data = new double[nMels, frames];
        for (int t = 0; t < frames; t++)
            for (int k = 0; k < nMels; k++)
                data[k, t] = frameMajor[t * nMels + k];

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(data);
        heatmap.FlipVertically = true; // row 0 (mel bin 0) at the bottom
        heatmap.Colormap = new ScottPlot.Colormaps.Magma();
        heatmap.Rectangle = new CoordinateRect(0, frames, 0, nMels);
        plot.Add.ColorBar(heatmap);
        plot.Title(title);
        plot.XLabel("frames");
        plot.YLabel("mel bin");
        plot.Axes.SetLimits(0, frames, 0, nMels);

        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);
        plot.SavePng(path, width, height);
    }
}
