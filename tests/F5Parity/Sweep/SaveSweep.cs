using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;

namespace F5Parity.Sweep;

/// <summary>Both paths' scores on one save.</summary>
public sealed record SweepRow(Save Save, QualityMeasurement? Trainer, QualityMeasurement? Infer, string? Error)
{
    /// <summary>The infer path is bad where the trainer path on the same save is good: the seed's symptom.</summary>
    public bool InferBelowTrainer => Trainer?.Good == true && Infer?.Good != true;
}

/// <summary>
/// The seed's "test the earlier checkpoint" for every save at once: the trainer's log-sample run and the
/// <c>infer_process</c> run of the configured setup on each save (its raw weights and its EMA, as the two paths load
/// them), and the first save where the infer path falls below the trainer path.
/// </summary>
public static class SaveSweep
{
    public static IReadOnlyList<SweepRow> Run(DiagnosisConfig config, IReadOnlyList<Save> saves, IProgress<SweepProgress>? progress = null)
    {
        var rows = new List<SweepRow>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < saves.Count; i++)
        {
            progress?.Report(new SweepProgress(i, saves.Count, saves[i], watch.Elapsed));
            var c = config with { Checkpoint = saves[i].Path, InferenceCheckpoint = null, OtherCheckpoint = null };
            using var d = new Diagnoser(c);
            var trainer = d.Runner.Run(d.Paths.Trainer);
            var infer = d.Runner.Run(d.Paths.Infer);
            rows.Add(new SweepRow(saves[i], trainer.Metric(d.MetricId), infer.Metric(d.MetricId), trainer.Error ?? infer.Error));
        }
        progress?.Report(new SweepProgress(saves.Count, saves.Count, null, watch.Elapsed));
        return rows;
    }

    /// <summary>The first save, in update order, where the infer path falls below the trainer path (null when none does).</summary>
    public static SweepRow? FirstBad(IReadOnlyList<SweepRow> rows) => rows.FirstOrDefault(r => r.InferBelowTrainer);
}

/// <summary>Run <see cref="Index"/> of <see cref="Count"/> (the save about to run, null when done) and the time spent so far.</summary>
public sealed record SweepProgress(int Index, int Count, Save? Save, TimeSpan Elapsed)
{
    /// <summary>Remaining time, extrapolated from the saves done so far (null before the first is done).</summary>
    public TimeSpan? Eta => Index == 0 ? null : Elapsed / Index * (Count - Index);

    public override string ToString() =>
        $"save {Math.Min(Index + 1, Count)} of {Count}{(Save is null ? " done" : $" ({System.IO.Path.GetFileName(Save.Path)}, update {Save.Update})")}, elapsed {Elapsed:mm\\:ss}" +
        (Eta is TimeSpan e ? $", ETA {e:mm\\:ss}" : "");
}
