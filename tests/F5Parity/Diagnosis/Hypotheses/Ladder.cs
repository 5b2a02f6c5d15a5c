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
    /// <summary>The rung order: <see cref="PathDifference.All"/>'s order, which is kept in ladder order.</summary>
    public static IReadOnlyList<string> Order => PathDifference.All.Select(d => d.Id).ToList();

    public static IReadOnlyList<LadderRung> Climb(Runner runner, DiagnosisPaths paths, string metricId)
    {
        var rungs = new List<LadderRung>();
        var spec = paths.Trainer;
        var previous = runner.Run(spec);
        rungs.Add(new LadderRung(0, null, true, previous, null, metricId));
        foreach (var id in Order)
        {
            var d = PathDifference.Get(id);
            var next = d.Apply(spec, paths.Infer);
            bool changed = next != spec;
            var result = runner.Run(next);
            Effect? step = previous.Output is not null && result.Output is not null ? Effect.Between(previous.Output, result.Output) : null;
            rungs.Add(new LadderRung(rungs.Count, d, changed, result, step, metricId));
            spec = next;
            previous = result;
        }
        if (spec != paths.Infer) throw new InvalidOperationException($"the ladder ended at a spec that is not the infer run: {spec.Describe()} vs {paths.Infer.Describe()}");
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
