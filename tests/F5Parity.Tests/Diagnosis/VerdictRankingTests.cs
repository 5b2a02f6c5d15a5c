using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using static TorchSharp.torch;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// The verdict's ranking on hand-made runs where its keys disagree: the collapse rung against the largest drop, a
/// probe (a theory the two configured paths do not differ in) with the largest drop against a smaller real
/// difference, a probe against a static error, and a checkpoint that cannot load against everything. Each case fails
/// if two keys trade places or one is dropped.
/// </summary>
public sealed class VerdictRankingTests
{
    static readonly RunSpec Trainer = DiagnosisSession.Diagnoser.Paths.Trainer;

    /// <summary>The infer path differs from the trainer's in the weights (EMA) and the vocab; seed and checkpoint are the same.</summary>
    static readonly RunSpec Infer = Trainer with { UseEma = true, VocabPath = Trainer.VocabPath + ".other" };

    static RunResult Run(RunSpec spec, double score, bool good, float melValue)
    {
        var output = new RunOutput(spec, full(100, 10, melValue), zeros(2304), 24_000, [], [], 20, 10, 0);
        return new RunResult(spec, output, [new QualityMeasurement("m", score, good, new Dictionary<string, double>())], null);
    }

    static readonly RunResult Good = Run(Trainer, 0.9, true, -5f);

    /// <summary>Hypothesis <paramref name="id"/> implicated: control good (0.9), treatment bad at <paramref name="score"/>.</summary>
    static HypothesisResult Implicated(string id, RunSpec treatment, double score, float mel)
    {
        var r = HypothesisResult.Classify(HypothesisCatalogue.Get(id), Good, Run(treatment, score, false, mel), "m", OutcomeThresholds.Default);
        r.Outcome.Should().Be(Outcome.Implicated, "the case is built from implicated theories");
        return r;
    }

    static readonly HypothesisResult EmaSmallDrop = Implicated("ema", Trainer with { UseEma = true }, 0.6, -4f);     // drop 33 %
    static readonly HypothesisResult VocabLargeDrop = Implicated("vocab", Trainer with { VocabPath = Infer.VocabPath }, 0.1, -3f); // drop 89 %
    static readonly HypothesisResult SeedProbe = Implicated("seed", Trainer with { Seed = Trainer.Seed + 1 }, 0.0, -2f); // drop 100 %, a probe
    static readonly HypothesisResult CheckpointProbe = Implicated("checkpoint", Trainer with { Checkpoint = "other.safetensors", UseEma = true }, 0.05, -1f);

    static List<LadderRung> NoCollapse => [new(0, null, true, Good, null, "m")];

    static List<LadderRung> CollapseAt(string id) =>
        [new(0, null, true, Good, null, "m"), new(1, PathDifference.Get(id), true, Run(Trainer with { UseEma = true }, 0.6, false, -4f), null, "m")];

    static Verdict Decide(IReadOnlyList<HypothesisResult> hs, List<LadderRung> ladder, IReadOnlyList<StaticFinding>? findings = null, RunResult? trainer = null) =>
        Verdict.Decide(hs, ladder, trainer ?? Good, Run(Infer, 0.1, false, -3f), "m", findings ?? []);

    [Fact]
    public void The_collapse_rung_outranks_a_larger_drop()
    {
        var v = Decide([VocabLargeDrop, EmaSmallDrop], CollapseAt("ema"));
        v.Hypothesis.Should().Be("ema");
        v.CollapseRung.Should().Be("ema");
        v.Summary.Should().Contain("Also implicated: `vocab`");
    }

    [Fact]
    public void Without_a_collapse_the_larger_drop_wins_whatever_the_order()
    {
        Decide([EmaSmallDrop, VocabLargeDrop], NoCollapse).Hypothesis.Should().Be("vocab");
        Decide([VocabLargeDrop, EmaSmallDrop], NoCollapse).Hypothesis.Should().Be("vocab");
    }

    [Fact]
    public void A_probe_with_the_largest_drop_is_a_finding_not_the_verdict()
    {
        var v = Decide([SeedProbe, EmaSmallDrop], NoCollapse);
        v.Hypothesis.Should().Be("ema");
        v.Summary.Should().Contain("`seed`").And.Contain("not blamed");
        v.Actions.Should().NotContain(a => a.Contains("several seeds"), "a probe's fix is not an action");
    }

    [Fact]
    public void A_probe_alone_gives_none_and_a_static_error_outranks_it()
    {
        var healthy = Run(Infer with { UseEma = false, VocabPath = Trainer.VocabPath }, 0.9, true, -5f);
        var alone = Verdict.Decide([CheckpointProbe], NoCollapse, Good, healthy, "m", []);
        alone.Hypothesis.Should().Be("none");
        alone.Summary.Should().Contain("`checkpoint`").And.Contain("not blamed");

        var vocabError = new StaticFinding("vocab-training-vs-inference", Severity.Error, "same size, different order", "vocab");
        Decide([CheckpointProbe], NoCollapse, [vocabError]).Hypothesis.Should().Be("vocab");
    }

    [Fact]
    public void A_probe_is_not_blamed_when_the_trainer_run_is_bad_either()
    {
        var bad = Run(Trainer, 0.3, false, -5f);
        Decide([CheckpointProbe], NoCollapse, trainer: bad).Hypothesis.Should().Be("none");
    }

    [Fact]
    public void A_checkpoint_that_cannot_load_outranks_every_theory_in_one_line()
    {
        var prefix = new StaticFinding(CheckpointKeyPrefixCheck.Id, Severity.Error,
            "model.pt: every key of the raw weights starts with 'module.' (saved from a DDP-wrapped model), so upstream's strict load_state_dict fails; strip it: {k.removeprefix('module.'): v for k, v in sd.items()}", "checkpoint");
        var v = Decide([VocabLargeDrop, EmaSmallDrop], CollapseAt("ema"), [prefix]);
        v.Hypothesis.Should().Be(Verdict.CannotLoadId);
        v.Summary.Should().Contain("'module.'").And.Contain("removeprefix").And.NotContain("\n");
        // the same finding on the other checkpoint (a probe) is a warning and does not decide
        Decide([VocabLargeDrop, EmaSmallDrop], CollapseAt("ema"), [prefix with { Severity = Severity.Warning }]).Hypothesis.Should().Be("ema");
    }
}
