using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>One hypothesis tested: both runs, the effect of the flip on the mel, the primary metric's scores and the outcome.</summary>
public sealed record HypothesisResult(Hypothesis Hypothesis, RunResult? Control, RunResult? Treatment, Effect? Effect,
    string MetricId, Outcome Outcome, double? RelativeDrop, string Reason)
{
    public QualityMeasurement? ControlQuality => Control?.Metric(MetricId);
    public QualityMeasurement? TreatmentQuality => Treatment?.Metric(MetricId);

    /// <summary>
    /// Classifies a control/treatment pair (thresholds in <see cref="OutcomeThresholds"/>): error when a run failed;
    /// no-effect when the mels are the same; unmeasured when the metric cannot judge; inconclusive when the control is
    /// not good; implicated when the control is good, the treatment is not and the score fell by at least the minimum;
    /// weakens when it fell that much without crossing; not-implicated otherwise.
    /// </summary>
    public static HypothesisResult Classify(Hypothesis h, RunResult control, RunResult treatment, string metricId, OutcomeThresholds th)
    {
        if (control.Error is string ce) return new(h, control, treatment, null, metricId, Outcome.Error, null, $"control failed: {ce}");
        if (treatment.Error is string te) return new(h, control, treatment, null, metricId, Outcome.Error, null, $"treatment failed: {te}");
        var effect = Effect.Between(control.Output!, treatment.Output!);
        if (control.Spec == treatment.Spec)
            return new(h, control, treatment, effect, metricId, Outcome.NoEffect, 0, "the configured paths do not differ here: treatment = control");
        if (effect.RelativeL2 is double r && r < th.NoEffectRelativeL2)
            return new(h, control, treatment, effect, metricId, Outcome.NoEffect, 0, $"mel moved {r:0.###e+0} relative L2 (< {th.NoEffectRelativeL2:0.#e+0})");
        var c = control.Metric(metricId);
        var t = treatment.Metric(metricId);
        if (c is null || t is null)
            return new(h, control, treatment, effect, metricId, Outcome.Unmeasured, null, $"{metricId} cannot judge these runs (no ground truth / transcript); mel moved {effect}");
        double drop = Math.Abs(c.Score) > 0 ? (c.Score - t.Score) / Math.Abs(c.Score) : c.Score - t.Score;
        string scores = $"{metricId} {c.Score:0.###} → {t.Score:0.###} ({-drop * 100:+0.#;-0.#;0} %)";
        // token accuracy is positional: the edit accuracy beside it tells a shift (tokens there, frames late) from garbage
        if (c.Values.TryGetValue("edit_accuracy", out var cEdit) && t.Values.TryGetValue("edit_accuracy", out var tEdit))
            scores += $"; shift-tolerant edit accuracy {cEdit:0.###} → {tEdit:0.###}";
        if (!c.Good) return new(h, control, treatment, effect, metricId, Outcome.Inconclusive, drop, $"control is not good ({scores}), so a fall cannot be judged; mel moved {effect}");
        if (drop >= th.MinRelativeDrop && !t.Good) return new(h, control, treatment, effect, metricId, Outcome.Implicated, drop, $"good → bad: {scores}");
        if (drop >= th.MinRelativeDrop) return new(h, control, treatment, effect, metricId, Outcome.Weakens, drop, $"score fell but stayed good: {scores}");
        return new(h, control, treatment, effect, metricId, Outcome.NotImplicated, drop, $"stays good: {scores}");
    }

    public static HypothesisResult NotRun(Hypothesis h, string metricId, string reason) =>
        new(h, null, null, null, metricId, Outcome.NotRun, null, reason);
}
