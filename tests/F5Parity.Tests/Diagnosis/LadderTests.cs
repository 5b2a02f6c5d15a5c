using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;

namespace F5Parity.Tests.Diagnosis;

/// <summary>The ladder from the trainer run to the infer run, on the configured diagnosis.</summary>
public sealed class LadderTests
{
    static DiagnosisReport R => DiagnosisSession.Report;

    [Fact]
    public void Ladder_starts_at_the_trainer_run_and_ends_at_infer_process()
    {
        R.Ladder[0].Result.Spec.Should().Be(R.Paths.Trainer);
        R.Ladder[^1].Result.Spec.Should().Be(R.Paths.Infer);
        R.Ladder.Select(l => l.Id).Skip(1).Should().Equal(Ladder.Order);
        R.Ladder.Should().OnlyContain(l => l.Result.Error == null, "every rung must sample");
    }

    /// <summary>
    /// The last rung swaps the trainer block's code for infer_process's with every knob already equal: if the mixed
    /// spec really reproduces infer_process, the mel does not move at all (measured 0 on the embedded default, in fp32
    /// and fp16). A difference here would mean a path difference the catalogue does not name.
    /// </summary>
    [Fact]
    public void Code_rung_changes_nothing_so_the_catalogue_names_every_difference()
    {
        var code = R.Ladder[^1];
        code.Id.Should().Be("code");
        code.Changed.Should().BeTrue();
        code.StepEffect!.RelativeL2.Should().NotBeNull("same length");
        code.StepEffect.RelativeL2!.Value.Should().BeLessThan(R.Thresholds.NoEffectRelativeL2);
    }

    [Fact]
    public void Unchanged_rungs_reuse_the_previous_sample()
    {
        foreach (var rung in R.Ladder.Skip(1).Where(l => !l.Changed))
            rung.StepEffect!.RelativeL2.Should().Be(0, $"rung {rung.Index} {rung.Id} changed nothing");
    }
}
