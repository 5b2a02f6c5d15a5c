using F5Parity.CheckpointTier;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Search;
using F5Parity.Tests.TestUtilities;
using Xunit.Abstractions;

namespace F5Parity.Tests.Checkpoint;

/// <summary>
/// The self-test of the tier's "Stated training setup reproduces the trainer" row (<c>search:stated-setup</c>) on the
/// run-folder fixtures (fixtures/runs/README.md): red where the run's files state a setup the checkpoint does not
/// speak under (the published pretrained model, whose training vocab no file states; the bare v1-trained echo model,
/// whose options no file states and the TOML calls F5TTS_Base), with the search's finding; green where they state
/// it (healthy, vocab-swap, the fine-tune, and v0-believed-v1, whose yaml states v0: there the fault is the
/// inference's belief, which the static config row reports).
/// </summary>
public sealed class StatedSetupRowTests(ITestOutputHelper output)
{
    static string Case(string name) => Path.Combine(RepoPaths.Fixtures, "runs", name);

    CheckpointRow Row(string fixture, string project, string overlay = "f5parity.json")
    {
        var dir = Case(fixture);
        var run = RunSearch.Run(Path.Combine(dir, "ckpts", project), null, Path.Combine(dir, "infer.toml"), Path.Combine(dir, overlay),
            new Dictionary<string, string?>(), dir);
        var row = CheckpointRows.StatedSetup(run);
        output.WriteLine($"{row.State} {row.Id}: {row.Message}");
        return row;
    }

    [Theory]
    [InlineData("healthy", "healthy", "f5parity.json")]
    [InlineData("vocab-swap", "ptbr", "f5parity.json")]
    [InlineData("pretrained-fails-too", "ptbr_ft", "f5parity-ft.json")]
    [InlineData("v0-believed-v1", "v0run", "f5parity.json")]
    public void Green_where_the_runs_files_state_the_setup_the_trainer_used(string fixture, string project, string overlay)
    {
        var row = Row(fixture, project, overlay);
        row.State.Should().Be(RowState.Pass);
        row.Message.Should().MatchRegex(@"scores (1|0\.\d+) on token-accuracy, confirmed (1|0\.\d+) on a second seed")
            .And.Contain("trainer-path re-speaks");
    }

    [Fact]
    public void Red_on_the_published_model_whose_training_vocab_no_file_states()
    {
        var row = Row("pretrained-fails-too", "ptbr_pretrained", "f5parity-pretrained.json");
        row.State.Should().Be(RowState.Fail);
        row.Message.Should().Contain("it does not reproduce the trainer")
            .And.Contain("the stated setup differs in: vocab:").And.Contain(Path.Combine("ptbr_pretrained", "vocab.txt"))
            .And.Contain("the trainer's sample at update 3000 scored 0.909 (good) on token-accuracy");
    }

    [Fact]
    public void Red_on_the_echo_model_whose_options_no_file_states()
    {
        var row = Row("config-fault", "echo");
        row.State.Should().Be(RowState.Fail);
        row.Message.Should().Contain("the stated setup differs in: DiT options:");
    }

    [Fact]
    public void Without_a_run_folder_the_row_skips_naming_the_variable() =>
        CheckpointRows.StatedSetup(null).Should().Match<CheckpointRow>(r => r.State == RowState.Skip && r.Message.Contains(ConfigLocator.RunVariable));
}
