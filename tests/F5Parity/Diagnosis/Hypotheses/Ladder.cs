using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// From the trainer's run to infer_process's run, one <see cref="PathDifference"/> per rung, every rung sampled and
/// measured. The order isolates best: first the flips that act on every frame without changing length or target —
/// precision, config, weights (EMA), checkpoint, reference audio and text, sampler — so consecutive rungs compare frame for
/// frame; then the length (duration and cut); then the task (the text and so the ground truth change); then the
/// text-dependent flips (pinyin, vocab) that can only show on the text actually spoken; train-mode and seed (equal on
/// both paths unless configured otherwise); and last the code swap, which must change nothing — a consistency check
/// that the mixed spec really is infer_process (its step effect should be ~0).
/// </summary>
public static class Ladder
{
    /// <summary>
    /// The spec of every rung: rung 0 is the trainer's run, rung k flips <see cref="PathDifference.All"/>[k−1] onto
    /// rung k−1, and the last rung must be the infer run (else the differences miss a knob: a bug, not an input fault).
    /// </summary>
    public static IReadOnlyList<RunSpec> Specs(DiagnosisPaths paths)
    {
        var specs = new List<RunSpec> { paths.Trainer };
        foreach (var d in PathDifference.All) specs.Add(d.Apply(specs[^1], paths.Infer));
        if (specs[^1] != paths.Infer) throw new InvalidOperationException($"the ladder ends at a spec that is not the infer run: {specs[^1].Describe()} vs {paths.Infer.Describe()}");
        return specs;
    }

    public static IReadOnlyList<LadderRung> Climb(Runner runner, DiagnosisPaths paths, string metricId)
    {
        var specs = Specs(paths);
        var rungs = new List<LadderRung>();
        RunResult? previous = null;
        for (int i = 0; i < specs.Count; i++)
        {
            var result = runner.Run(specs[i]);
            Effect? step = previous?.Output is { } a && result.Output is { } b ? Effect.Between(a, b) : null;
            rungs.Add(new LadderRung(i, i == 0 ? null : PathDifference.All[i - 1], i == 0 || specs[i] != specs[i - 1], result, step, metricId));
            previous = result;
        }
        return rungs;
    }

    /// <summary>The first rung judged not good right after a good one (null when quality never collapses or is never good).</summary>
    public static LadderRung? Collapse(IReadOnlyList<LadderRung> rungs)
    {
        for (int i = 1; i < rungs.Count; i++)
        {
            var prev = LastJudged(rungs, i - 1);
            var q = rungs[i].Quality;
            if (prev is { Good: true } && q is { Good: false }) return rungs[i];
        }
        return null;
    }

    static QualityMeasurement? LastJudged(IReadOnlyList<LadderRung> rungs, int upTo)
    {
        for (int i = upTo; i >= 0; i--) if (rungs[i].Quality is { } q) return q;
        return null;
    }
}
