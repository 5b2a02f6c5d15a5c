using System.Globalization;
using System.Text;
using ScottPlot;
using F5Parity.Diagnosis.Quality;

namespace F5Parity.Sweep;

/// <summary>
/// Writes a sweep into a folder: <c>sweep.md</c> (a table, one row per save, both paths' scores, the first bad save
/// named), <c>sweep.tsv</c> and <c>sweep.png</c> (score vs update, one line per path).
/// </summary>
public static class SweepReport
{
    public static string Markdown(IReadOnlyList<SweepRow> rows, string metricId)
    {
        var first = SaveSweep.FirstBad(rows);
        var sb = new StringBuilder();
        sb.AppendLine("# F5Parity sweep over a run's saves");
        sb.AppendLine();
        sb.AppendLine(first is null
            ? "The infer path is as good as the trainer path on every save."
            : $"**First save where the infer path falls below the trainer path: `{Path.GetFileName(first.Save.Path)}` (update {Update(first.Save)})** — trainer {Score(first.Trainer)}, infer {Score(first.Infer)}.");
        sb.AppendLine();
        sb.AppendLine($"| save | update | trainer path ({metricId}) | infer path ({metricId}) | |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var r in rows)
            sb.AppendLine($"| `{Path.GetFileName(r.Save.Path)}` | {Update(r.Save)} | {Score(r.Trainer)} | {Score(r.Infer)} | {(r.Error is not null ? $"error: {r.Error}" : r == first ? "**first bad**" : r.InferBelowTrainer ? "bad" : "")} |");
        sb.AppendLine();
        sb.AppendLine("![score vs update](sweep.png)");
        return sb.ToString();
    }

    static string Update(Save s) => s.Update >= long.MaxValue - 1 ? "last" : s.Update.ToString(CultureInfo.InvariantCulture);
    static string Score(Diagnosis.Quality.QualityMeasurement? q) => q is null ? "n/a" : $"{q.Score.ToString("0.###", CultureInfo.InvariantCulture)} ({(q.Good ? "good" : "bad")})";

    /// <summary>Writes sweep.md, sweep.tsv and sweep.png into <paramref name="folder"/>; returns the PNG's path.</summary>
    public static string Write(IReadOnlyList<SweepRow> rows, string metricId, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "sweep.md"), Markdown(rows, metricId));
        File.WriteAllLines(Path.Combine(folder, "sweep.tsv"),
            ["save\tupdate\ttrainer\tinfer\ttrainer_good\tinfer_good",
             .. rows.Select(r => string.Join('\t', Path.GetFileName(r.Save.Path), Update(r.Save),
                 r.Trainer?.Score.ToString("R", CultureInfo.InvariantCulture) ?? "", r.Infer?.Score.ToString("R", CultureInfo.InvariantCulture) ?? "",
                 r.Trainer?.Good, r.Infer?.Good))]);
        var plot = new Plot();
        // a save without any counter (model_last.safetensors) is drawn one step right of the last counted save
        double lastKnown = rows.Where(r => r.Save.Update < long.MaxValue - 1).Select(r => (double)r.Save.Update).DefaultIfEmpty(0).Max();
        double[] xs = rows.Select((r, i) => r.Save.Update >= long.MaxValue - 1 ? lastKnown + 1 + i : r.Save.Update).ToArray();
        var trainer = plot.Add.Scatter(xs, rows.Select(r => r.Trainer?.Score ?? double.NaN).ToArray());
        trainer.LegendText = "trainer path";
        var infer = plot.Add.Scatter(xs, rows.Select(r => r.Infer?.Score ?? double.NaN).ToArray());
        infer.LegendText = "infer path";
        if (SaveSweep.FirstBad(rows) is SweepRow bad) plot.Add.VerticalLine(xs[rows.ToList().IndexOf(bad)]).LegendText = "first bad save";
        plot.ShowLegend();
        plot.Title("score vs update");
        plot.XLabel("update");
        plot.YLabel(metricId);
        string png = Path.Combine(folder, "sweep.png");
        plot.SavePng(png, 900, 450);
        return png;
    }
}
