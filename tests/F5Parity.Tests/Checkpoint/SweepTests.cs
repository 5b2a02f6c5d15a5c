using F5Parity.Checkpoints;
using F5Parity.Sweep;
using F5Parity.Tests.TestUtilities;
using F5Parity.Training;
using Xunit.Abstractions;

namespace F5Parity.Tests.Checkpoint;

/// <summary>
/// A sweep over a fixture run built at test time from fixtures/models/: a healthy fine-tune save, then one whose EMA is
/// stale, then a diverged one — each rewritten with the update it was "saved" at. The file names deliberately
/// disagree with the updates, so the order must come from the stored counter.
/// </summary>
public sealed class SweepTests(ITestOutputHelper output)
{
    static string M(string file) => Path.Combine(RepoPaths.Fixtures, "models", file);

    static void Resave(string source, string target, long update)
    {
        using var ck = TrainerCheckpoint.Read(source);
        TrainerCheckpointWriter.Write(target, ck.ModelStateDict!, null, ck.EmaModelStateDict!, null, update);
    }

    [Fact]
    public void Sweep_names_the_first_save_where_the_infer_path_falls_below_the_trainer_path()
    {
        var run = Directory.CreateTempSubdirectory("f5parity-run-").FullName;
        try
        {
            Resave(M("finetune.pt"), Path.Combine(run, "model_900.pt"), 100);
            Resave(M("finetune_stale_ema.pt"), Path.Combine(run, "model_50.pt"), 200);
            Resave(M("diverged.pt"), Path.Combine(run, "model_last.pt"), 300);
            File.WriteAllText(Path.Combine(run, "notes.txt"), "not a save");

            var saves = SaveList.Find([run]);
            Assert.Equal(["model_900.pt", "model_50.pt", "model_last.pt"], saves.Select(s => Path.GetFileName(s.Path)));
            Assert.Equal([100L, 200L, 300L], saves.Select(s => s.Update));

            var config = CheckpointRowsTests.Base("finetune.pt", "L1") with { Seeds = 1 };
            var rows = SaveSweep.Run(config, saves, new F5Parity.Progress.SyncProgress<SweepProgress>(p => output.WriteLine(p.ToString())));
            var out_ = Path.Combine(run, "bundle");
            var png = SweepReport.Write(rows, "token-accuracy", out_);
            output.WriteLine(File.ReadAllText(Path.Combine(out_, "sweep.md")));

            var first = SaveSweep.FirstBad(rows);
            Assert.NotNull(first);
            Assert.Equal("model_50.pt", Path.GetFileName(first.Save.Path));
            Assert.True(rows[0].Trainer!.Good && rows[0].Infer!.Good, "the healthy save is good on both paths");
            Assert.Contains("First save where the infer path falls below the trainer path: `model_50.pt` (update 200)", File.ReadAllText(Path.Combine(out_, "sweep.md")));
            Assert.True(new FileInfo(png).Length > 1000, "the plot is written");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
        }
        finally { Directory.Delete(run, recursive: true); }
    }

    [Fact]
    public void Pruned_saves_without_a_counter_are_ordered_by_the_number_in_their_name_and_model_last_comes_last()
    {
        var run = Directory.CreateTempSubdirectory("f5parity-pruned-").FullName;
        try
        {
            foreach (var name in new[] { "model_last.safetensors", "model_1200.safetensors", "model_300.safetensors", "vocab.txt" })
                File.WriteAllText(Path.Combine(run, name), "");
            var saves = SaveList.Find([run]);
            Assert.Equal(["model_300.safetensors", "model_1200.safetensors", "model_last.safetensors"], saves.Select(s => Path.GetFileName(s.Path)));
            Assert.Throws<F5Parity.Errors.CheckpointFormatException>(() => SaveList.Find([Path.Combine(run, "missing")]));
        }
        finally { Directory.Delete(run, recursive: true); }
    }
}
