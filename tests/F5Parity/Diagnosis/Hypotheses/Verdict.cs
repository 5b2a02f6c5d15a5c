using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// The conclusion: the id of the hypothesis to blame (or "none", or <see cref="CannotLoadId"/>), one paragraph saying
/// why with the numbers, the ladder rung where quality collapsed (if it did), and what to do.
/// <para>In order: a configured checkpoint that cannot load (<see cref="CheckpointKeyPrefixCheck"/>) is the verdict;
/// else the implicated theories that are real differences of the two configured paths
/// (<see cref="Hypothesis.IsConfiguredDifference"/>), the one whose rung the ladder collapses at first, then the
/// largest drop; else a trainer run no metric can judge, or that is bad itself, is said so; else a static error.
/// A probe (the other checkpoint, another seed, train mode) is never the verdict: when it is bad it is reported as
/// a finding beside whatever the verdict is.</para>
/// </summary>
public sealed record Verdict(string Hypothesis, string Summary, string? CollapseRung, IReadOnlyList<string> Actions)
{
    /// <summary>The verdict id when a checkpoint of the two configured paths cannot load (no theory can be sampled).</summary>
    public const string CannotLoadId = "checkpoint-load";

    public static Verdict Decide(IReadOnlyList<HypothesisResult> hypotheses, IReadOnlyList<LadderRung> ladder,
        RunResult trainer, RunResult infer, string metricId, IReadOnlyList<StaticFinding> findings)
    {
        var collapse = Ladder.Collapse(ladder);
        var actions = new List<string>();
        foreach (var f in findings.Where(f => f.Severity == Severity.Error)) actions.Add($"Fix first (static check `{f.Check}`): {f.Message}");
        var cannotLoad = findings.Where(CheckpointKeyPrefixCheck.CannotLoad).ToList();
        if (cannotLoad.Count > 0)
            return new Verdict(CannotLoadId, $"The checkpoint cannot load: {string.Join("; ", cannotLoad.Select(f => f.Message))}.", null, actions);

        bool IsPathDifference(HypothesisResult h) => h.Hypothesis.IsConfiguredDifference(trainer.Spec, infer.Spec);
        var bad = hypotheses.Where(h => h.Outcome == Outcome.Implicated).ToList();
        var implicated = bad.Where(IsPathDifference)
            .OrderByDescending(h => collapse is not null && h.Hypothesis.Id == collapse.Id)
            .ThenByDescending(h => h.RelativeDrop ?? 0).ToList();
        var probes = bad.Where(h => !IsPathDifference(h)).ToList();
        string probeText = probes.Count == 0 ? ""
            : $" Bad probe{(probes.Count > 1 ? "s" : "")}, not a difference of the two configured paths, so not blamed: {string.Join("; ", probes.Select(h => $"`{h.Hypothesis.Id}` ({h.Reason})"))}.";
        var tq = trainer.Metric(metricId);
        var iq = infer.Metric(metricId);
        string Q(QualityMeasurement? q) => q is null ? "not measurable" : $"{q.Score:0.###} ({(q.Good ? "good" : "bad")})";
        string paths = $"Trainer run {Q(tq)}, infer_process run {Q(iq)} on {metricId}.";
        string ladderText = collapse is null ? "" : $" On the ladder, quality collapses at rung {collapse.Index} (`{collapse.Id}`).";

        if (implicated.Count > 0)
        {
            var top = implicated[0];
            var others = implicated.Skip(1).Select(h => $"`{h.Hypothesis.Id}`").ToList();
            if (top.Hypothesis.Fix is string fix) actions.Add(fix);
            foreach (var h in implicated.Skip(1)) if (h.Hypothesis.Fix is string f2) actions.Add($"also ({h.Hypothesis.Id}): {f2}");
            return new Verdict(top.Hypothesis.Id,
                $"{top.Hypothesis.Title}: {top.Reason}, mel moved {top.Effect}. {paths}{ladderText}" +
                (others.Count > 0 ? $" Also implicated: {string.Join(", ", others)}." : "") + probeText,
                collapse?.Id, actions);
        }
        if (tq is null)
            return new Verdict("none", $"No metric could judge the trainer's run (no ground truth of its text, no Whisper model), so nothing can be blamed. {paths}{probeText}",
                collapse?.Id, [.. actions, "configure F5PARITY_WHISPER_MODEL or a ground-truth folder (F5PARITY_GROUND_TRUTH) with a recording of the texts"]);
        if (!tq.Good)
        {
            actions.Add("the checkpoint does not say the text even the way the trainer sampled it: look at training (data, steps), and at the `task` theory — compare with the trainer's logged samples of this exact clip");
            return new Verdict("none",
                $"The trainer's own run is not good either ({metricId} {tq.Score:0.###}): no difference between the two paths can be blamed for garbage that both produce. {paths}{ladderText}{probeText}",
                collapse?.Id, actions);
        }
        // nothing implicated by sampling, but a static check found a fault that breaks the infer path (a load failure)
        // or that sampling cannot show on this metric (options the model was not trained with): name it, say so
        var staticErrors = findings.Where(f => f.Severity == Severity.Error && f.Hypothesis is not null).ToList();
        if (staticErrors.Count > 0)
        {
            var blamed = staticErrors.GroupBy(f => f.Hypothesis!).OrderByDescending(g => g.Count()).First();
            var h = hypotheses.FirstOrDefault(x => x.Hypothesis.Id == blamed.Key);
            string sampled = h is null ? "" : h.Outcome switch
            {
                Outcome.Error => $" Its theory could not be sampled: {h.Reason}.",
                Outcome.NotImplicated or Outcome.Weakens => $" Sampling does not show it on {metricId} ({h.Reason}; mel moved {h.Effect}), but the infer path runs the model in a way it was not trained for.",
                _ => $" Its theory: {h.Outcome.ToId()} ({h.Reason}).",
            };
            if (h?.Hypothesis.Fix is string fix && !actions.Contains(fix)) actions.Add(fix);
            return new Verdict(blamed.Key,
                $"Static check{(blamed.Count() > 1 ? "s" : "")} {string.Join(", ", blamed.Select(f => $"`{f.Check}`"))}: {string.Join("; ", blamed.Select(f => f.Message))}.{sampled} {paths}{ladderText}{probeText}",
                collapse?.Id, actions);
        }
        var weak = hypotheses.Where(h => h.Outcome == Outcome.Weakens).Select(h => $"`{h.Hypothesis.Id}`").ToList();
        return new Verdict("none",
            $"No single difference turns the trainer's good run bad. {paths}{ladderText}" + (weak.Count > 0 ? $" Weakening: {string.Join(", ", weak)}." : "") + probeText,
            collapse?.Id, actions);
    }
}
