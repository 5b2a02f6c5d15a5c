using System.Security.Cryptography;
using F5Parity.Checkpoints;
using F5Parity.Errors;
using F5Parity.Fixtures;
using F5Parity.Model;
using F5Parity.Tests.TestUtilities;
using F5Parity.Text;
using F5Parity.Training;
using static TorchSharp.torch;

namespace F5Parity.Tests.Training;

/// <summary>
/// <see cref="TrainerCheckpointWriter"/>: what it writes reads back through <see cref="TrainerCheckpoint.Read"/> with
/// upstream's keys and values, the same state gives the same bytes, an existing file is never replaced, and a release
/// file loaded as raw weights fails the strict load as upstream's does.
/// </summary>
public sealed class TrainerCheckpointWriterTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "f5parity-writer-" + Guid.NewGuid().ToString("N"));

    public TrainerCheckpointWriterTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly Vocab TrainingVocab = Vocab.Load(Path.Combine(RepoPaths.Golden, "upstream", "vocab.txt"));

    static DiTConfig TinyConfig() => CodebookFixture.Config(TrainingVocab.Size) with { Dim = 16, Depth = 1, DimHead = 8, TextDim = 8 };

    static FlowMatchingTrainer TinyTrainer(int updates)
    {
        random.manual_seed(3);
        var model = new CFM(new DiT(TinyConfig()));
        var trainer = new FlowMatchingTrainer(model, new Ema(model),
            new FlowMatchingTrainerOptions { TotalUpdates = 20, WarmupUpdates = 5, BatchSize = 2, Seed = 5 },
            ModelFixtureRecipe.Batches(CodebookFixture.Language(TrainingVocab), true, 2, 9));
        trainer.Train(updates);
        return trainer;
    }

    [Fact]
    public void Trainer_checkpoint_round_trips_through_the_reader()
    {
        using var trainer = TinyTrainer(12);
        var path = Path.Combine(_dir, "model_12.pt");
        TrainerCheckpointWriter.Write(path, trainer);

        using var ck = TrainerCheckpoint.Read(path);
        ck.Layout.Should().Be(CheckpointLayout.TrainerPt);
        ck.HasOptimizerState.Should().BeTrue();
        ck.HasSchedulerState.Should().BeTrue();
        ck.Update.Should().Be(12);
        ck.UpdateKey.Should().Be("update");
        ck.EmaStep.Should().Be(12);
        ck.EmaInitted.Should().BeFalse("12 updates are still inside ema-pytorch's copy phase (update_after_step 100)");
        var online = trainer.Model.state_dict();
        ck.ModelStateDict!.Keys.Should().BeEquivalentTo(online.Keys);
        foreach (var (k, v) in online) ck.ModelStateDict[k].eq(v).all().item<bool>().Should().BeTrue(k);
        var ema = ck.InferenceStateDict(useEma: true);
        foreach (var (k, v) in trainer.Ema.Weights) ema[k].eq(v).all().item<bool>().Should().BeTrue(k);
    }

    [Fact]
    public void Same_state_gives_the_same_bytes_and_existing_files_are_kept()
    {
        using var trainer = TinyTrainer(3);
        var a = Path.Combine(_dir, "a.pt");
        var b = Path.Combine(_dir, "b.pt");
        TrainerCheckpointWriter.Write(a, trainer);
        TrainerCheckpointWriter.Write(b, trainer);
        SHA256.HashData(File.ReadAllBytes(a)).Should().Equal(SHA256.HashData(File.ReadAllBytes(b)));

        var before = File.ReadAllBytes(a);
        var act = () => TrainerCheckpointWriter.Write(a, trainer);
        act.Should().Throw<IOException>().WithMessage("*refusing to overwrite*");
        File.ReadAllBytes(a).Should().Equal(before);
    }

    [Fact]
    public void Release_file_holds_the_ema_state_dict_only()
    {
        using var trainer = TinyTrainer(2);
        var path = Path.Combine(_dir, "model.safetensors");
        TrainerCheckpointWriter.WriteRelease(path, trainer.Ema.StateDict());
        using var ck = TrainerCheckpoint.Read(path);
        ck.Layout.Should().Be(CheckpointLayout.ReleaseSafetensors);
        ck.EmaStep.Should().Be(2);
        ck.ModelStateDict.Should().BeNull();

        // use_ema=False on a release file: upstream hands the whole file (ema_model.* keys, initted, step) to the
        // strict load_state_dict, which fails naming the missing and the unexpected keys; so does the port.
        var raw = ck.InferenceStateDict(useEma: false);
        raw.Keys.Should().Contain(["initted", "step"]).And.Contain(k => k.StartsWith("ema_model.", StringComparison.Ordinal));
        var strictLoad = () => { using var m = ModelLoader.Load(TinyConfig(), ck, useEma: false); };
        strictLoad.Should().Throw<CheckpointFormatException>()
            .Where(e => e.Message.StartsWith(path, StringComparison.Ordinal), "the message names the file first")
            .WithMessage("*does not fit the CFM model: missing key(s) [transformer.*unexpected key(s) [ema_model.transformer.*initted*step*");
        using var ema = ModelLoader.Load(TinyConfig(), ck, useEma: true); // the same file as EMA loads
    }
}
