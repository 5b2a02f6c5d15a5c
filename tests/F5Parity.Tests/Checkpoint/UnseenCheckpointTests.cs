using F5Parity.CheckpointTier;
using F5Parity.Checkpoints;
using F5Parity.Diagnosis;
using F5Parity.Tests.TestUtilities;
using F5Parity.Training;
using Xunit.Abstractions;

namespace F5Parity.Tests.Checkpoint;

/// <summary>
/// A checkpoint and vocab the project has never seen: the fine-tune fixture's weights re-saved under another name and
/// update, with its vocab copied under another name (the codebook reference draws each token's signature by vocab
/// index, so the order stays the trained one). With its own vocab no row is red; with one injected fault the project
/// has no fixture of — inference reads a vocab built here where "o" and "d" trade places (same size, loads silently) —
/// exactly that fault's rows are red.
/// </summary>
public sealed class UnseenCheckpointTests(ITestOutputHelper output)
{
    static (string Checkpoint, string Vocab, string Swapped) MakeUnseen(string dir)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Fixtures, "models", "vocab.txt"));
        var vocab = Path.Combine(dir, "minha_voz_vocab.txt");
        File.WriteAllLines(vocab, lines);
        int e = Array.IndexOf(lines, "o"), i = Array.IndexOf(lines, "d");
        Assert.True(e > 0 && i > 0, "the fixture vocab holds o and d");
        (lines[e], lines[i]) = (lines[i], lines[e]);
        var swapped = Path.Combine(dir, "minha_voz_vocab_infer.txt");
        File.WriteAllLines(swapped, lines);
        using var ck = TrainerCheckpoint.Read(Path.Combine(RepoPaths.Fixtures, "models", "finetune.pt"));
        var checkpoint = Path.Combine(dir, "model_777.pt");
        TrainerCheckpointWriter.Write(checkpoint, ck.ModelStateDict!, null, ck.EmaModelStateDict!, null, 777);
        return (checkpoint, vocab, swapped);
    }

    [Theory]
    [InlineData(false, new string[0])]
    [InlineData(true, new[] { "path:infer", "hypothesis:vocab", "static:vocab-order" })]
    public void Exactly_the_injected_faults_rows_are_red(bool injectFault, string[] expected)
    {
        var dir = Directory.CreateTempSubdirectory("f5parity-unseen-").FullName;
        try
        {
            var (checkpoint, vocab, swapped) = MakeUnseen(dir);
            var config = CheckpointRowsTests.Base("finetune.pt", "L1") with
            {
                Checkpoint = checkpoint, Vocab = vocab,
                InferenceVocab = injectFault ? swapped : null,
                Out = Path.Combine(dir, "bundle"),
            };
            using var diagnoser = new Diagnoser(config);
            var report = diagnoser.Run();
            var rows = CheckpointRows.All(report, config.Out);
            foreach (var r in rows) output.WriteLine($"{r.State,-4} {r.Id,-28} {r.Message}");
            Assert.Equal(expected.Order(), rows.Where(r => r.Red).Select(r => r.Id).Order());
            if (injectFault) Assert.Contains("vocab", rows.Single(r => r.Id == "hypothesis:vocab").Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
