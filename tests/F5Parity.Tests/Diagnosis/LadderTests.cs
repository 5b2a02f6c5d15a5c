using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;

namespace F5Parity.Tests.Diagnosis;

/// <summary>The ladder from the trainer run to the infer run, on the configured diagnosis.</summary>
public sealed class LadderTests
{
    static DiagnosisReport R => DiagnosisSession.Report;

    /// <summary>
    /// A rung isolates one difference only if no other difference's knobs move with it: were two path differences to
    /// share a knob, or one's flip to set another's, the rung would carry both and its step effect would blame the
    /// wrong one. Checked on every rung of the configured run, against every other difference.
    /// </summary>
    [Fact]
    public void Each_rung_moves_its_own_difference_and_no_other()
    {
        R.Ladder.Should().OnlyContain(l => l.Result.Error == null, "every rung must sample");
        foreach (var (previous, rung) in R.Ladder.Zip(R.Ladder.Skip(1)))
        {
            Console.WriteLine($"{rung.Index,2} {rung.Id,-16} changed {rung.Changed,-5} frames {rung.Result.Output!.GenMel.shape[^1],4} step {rung.StepEffect}");
            foreach (var other in PathDifference.All.Where(d => d != rung.Flipped))
                other.Differs(previous.Result.Spec, rung.Result.Spec).Should().BeFalse(
                    $"rung {rung.Index} '{rung.Id}' must not move the knobs of '{other.Id}' ({previous.Result.Spec.Describe()} → {rung.Result.Spec.Describe()})");
        }
    }

    /// <summary>
    /// A rung changes the spec exactly when the two configured paths differ in its knobs, whatever was flipped before
    /// it; so the rungs that change are the configured differences. On the embedded default (one checkpoint, one
    /// vocab, one config, fp32 on the CPU, the same sampler settings and seed on both paths, the CLI flow, a dataset
    /// of raw text) they are the ones listed, in ladder order.
    /// </summary>
    [SkippableFact]
    public void The_rungs_that_change_are_the_configured_differences()
    {
        foreach (var rung in R.Ladder.Skip(1))
            rung.Changed.Should().Be(rung.Flipped!.Differs(R.Paths.Trainer, R.Paths.Infer), $"rung {rung.Id}");

        DiagnosisSession.RequireEmbeddedDefault("the list of differences was");
        R.Ladder.Where(l => l.Changed).Skip(1).Select(l => l.Id).Should().Equal(
            "ema", "reference-audio", "ref-text", "duration", "task", "pinyin", "code");
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
}
