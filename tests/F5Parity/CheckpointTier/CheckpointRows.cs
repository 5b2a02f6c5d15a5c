using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Search;

namespace F5Parity.CheckpointTier;

/// <summary>
/// Turns one <see cref="DiagnosisReport"/> into the checkpoint tier's rows. The rule for a bad control (README, "Test
/// your checkpoint"): every row is judged against the trainer path; when the trainer path itself is not good, only
/// the trainer row is red and every row measured against it passes saying "not judged", so one broken thing reads as
/// one red row. Otherwise the infer row is red when the infer path is worse (the symptom) and each hypothesis row is
/// red when it is implicated as a difference of the two configured paths (the cause).
/// </summary>
public static class CheckpointRows
{
    /// <summary>Static check families that can find an error (report.json check ids, grouped by what they test).</summary>
    public static readonly IReadOnlyList<(string Id, string Title, Func<string, bool> Matches)> StaticFamilies =
    [
        ("checkpoint-readable", "the checkpoint files load", c => c == "checkpoint-readable"),
        ("checkpoint-layout", "inference reads weights the file holds", c => c == "checkpoint-layout"),
        ("weights-finite", "no NaN/Inf weights", c => c == "weights-finite"),
        ("ema-distance", "the EMA weights follow the trained weights", c => c == "ema-distance"),
        ("implied-config", "the weights fit the model config", c => c.StartsWith("implied-config", StringComparison.Ordinal)),
        ("config", "training and inference build the same model", c => c == "config-training-vs-inference"),
        ("vocab-size", "vocab size equals text_embed", c => c.StartsWith("vocab-size-", StringComparison.Ordinal)),
        ("vocab-order", "training and inference vocab agree token by token", c => c == "vocab-training-vs-inference"),
        ("vocab-characters", "every character of the texts is in the vocab", c => c is "vocab-training" or "vocab-inference" || c.StartsWith("unknown-chars-", StringComparison.Ordinal)),
        ("vocab-file", "the vocab files read as upstream reads them", c => c.StartsWith("vocab-quirk-", StringComparison.Ordinal)),
        ("reference", "the reference reads and is usable", c => c.StartsWith("reference-", StringComparison.Ordinal)),
        ("text-processing", "inference feeds the text as the dataset stored it", c => c.StartsWith("text-processing", StringComparison.Ordinal)),
    ];

    static string Q(QualityMeasurement? q) => q is null ? "not measurable" : $"{q.Score:0.###} ({(q.Good ? "good" : "bad")})";

    /// <summary>True when the trainer path (every row's reference) is measured and good.</summary>
    public static bool TrainerGood(DiagnosisReport r) => r.TrainerRun.Error is null && r.TrainerRun.Metric(r.MetricId)?.Good == true;

    public static CheckpointRow Trainer(DiagnosisReport r)
    {
        var q = r.TrainerRun.Metric(r.MetricId);
        if (r.TrainerRun.Error is string e)
            return new("path:trainer", RowState.Fail, $"the trainer's log-sample run failed: {e}. Check the checkpoint, vocab and model config the configuration names.");
        if (q is null)
            return new("path:trainer", RowState.Skip, $"{r.MetricId} cannot judge the trainer's run (configure a Whisper model or a ground-truth folder)");
        return q.Good
            ? new("path:trainer", RowState.Pass, $"trainer path {r.MetricId} {Q(q)}")
            : new("path:trainer", RowState.Fail,
                $"trainer path {r.MetricId} {Q(q)}: the stated training setup does not reproduce the trainer's samples. Check that " +
                "checkpoint, vocab, modelConfig, trainingText, refText/refAudio and the sampler settings (nfe, cfg, sway, seed) are what the trainer used, " +
                "and compare with the trainer's logged sample of this clip. Every other row is not judged while this one is red.");
    }

    public static CheckpointRow Infer(DiagnosisReport r)
    {
        var t = r.TrainerRun.Metric(r.MetricId);
        var i = r.InferRun.Metric(r.MetricId);
        if (!TrainerGood(r)) return new("path:infer", RowState.Pass, $"not judged: the trainer path is not good (see its row); infer path {Q(i)}");
        if (r.InferRun.Error is string e) return new("path:infer", RowState.Fail, $"the infer_process run failed: {e}. Trainer path {Q(t)}. Verdict: {r.Verdict.Hypothesis} — {r.Verdict.Summary}");
        if (i is null) return new("path:infer", RowState.Skip, $"{r.MetricId} cannot judge the infer_process run");
        return i.Good
            ? new("path:infer", RowState.Pass, $"infer path {Q(i)}, trainer path {Q(t)} on {r.MetricId}")
            : new("path:infer", RowState.Fail, $"infer path {Q(i)} vs trainer path {Q(t)} on {r.MetricId}. Verdict: {r.Verdict.Hypothesis} — {r.Verdict.Summary}");
    }

    /// <summary>True when the hypothesis is a difference of the two configured paths (a probe such as another checkpoint or seed is not).</summary>
    public static bool IsPathDifference(DiagnosisReport r, string id) => HypothesisCatalogue.Get(id).IsConfiguredDifference(r.TrainerRun.Spec, r.InferRun.Spec);

    public static CheckpointRow Hypothesis(DiagnosisReport r, string id, string? bundle = null)
    {
        string rowId = $"hypothesis:{id}";
        var h = r.Hypotheses.FirstOrDefault(x => x.Hypothesis.Id == id);
        if (h is null) return new(rowId, RowState.Skip, "this diagnosis did not test it");
        if (h.Outcome == Outcome.NotRun) return new(rowId, RowState.Skip, $"cannot be run with this configuration: {h.Reason}");
        bool difference = IsPathDifference(r, id);
        string found = $"{h.Outcome.ToId()}: {h.Reason}" + (h.Effect is null ? "" : $"; mel moved {h.Effect}");
        if (!TrainerGood(r)) return new(rowId, RowState.Pass, $"not judged: the trainer path is not good (see its row). Found {found}");
        bool red = difference && (h.Outcome == Outcome.Implicated || h.Outcome == Outcome.Error && r.InferRun.Error is not null);
        if (!red)
            return new(rowId, RowState.Pass, h.Outcome == Outcome.Implicated
                ? $"a probe, not a difference of the two configured paths: {found}"
                : found);
        var rung = r.Ladder.FirstOrDefault(l => l.Id == id);
        string ladder = rung is null ? PathDifference.All.Any(d => d.Id == id) ? "its ladder rung was not sampled (the ladder was bisected)" : "not a rung of the ladder" : $"ladder rung {rung.Index} (`{id}`){(r.Verdict.CollapseRung == id ? ", where quality collapses" : "")}";
        string files = bundle is null ? "" : $" Files: {string.Join(", ", new[] { "control", "treatment" }.SelectMany(n => new[] { $"{n}.wav", $"{n}.png", $"{n}.json" }).Select(f => Path.Combine(bundle, "hypotheses", id, f)))}.";
        return new(rowId, RowState.Fail,
            $"{h.Hypothesis.Title} — a difference of the two configured paths that breaks the infer path ({h.Outcome.ToId()}): {h.Reason}" +
            (h.Effect is null ? "" : $", mel moved {h.Effect}") + $"; {ladder}. Fix: {h.Hypothesis.Fix ?? "see the report"}.{files}");
    }

    public static CheckpointRow Static(DiagnosisReport r, string family)
    {
        var f = StaticFamilies.Single(s => s.Id == family);
        var findings = r.StaticFindings.Where(x => f.Matches(x.Check)).ToList();
        string rowId = $"static:{family}";
        if (findings.Count == 0) return new(rowId, RowState.Pass, $"{f.Title}: no finding");
        var errors = findings.Where(x => x.Severity == Severity.Error).ToList();
        return errors.Count == 0
            ? new(rowId, RowState.Pass, $"{f.Title}: " + string.Join("; ", findings.Select(x => $"{x.Check} {x.Severity}: {x.Message}")))
            : new(rowId, RowState.Fail, $"{f.Title} — " + string.Join("; ", errors.Select(x => $"{x.Check}: {x.Message}" + (x.Hypothesis is null ? "" : $" (theory `{x.Hypothesis}`)"))));
    }

    public const string StatedSetupId = "search:stated-setup";

    /// <summary>
    /// "Stated training setup reproduces the trainer": red when the setup the run's files (and explicit settings)
    /// state does not make the trainer path speak on two seeds, or when the search settled on a setup that differs
    /// from it in a training fact (DiT options, vocab, text processing), or nothing speaks — with the search's
    /// finding; skipped without a run folder (F5PARITY_RUN). A find that differs only in raw/EMA weights is said in
    /// a green row. The trainer's scored samples and the search's cost are quoted.
    /// </summary>
    public static CheckpointRow StatedSetup(RunSearch? run)
    {
        if (run is null) return new(StatedSetupId, RowState.Skip, $"no run folder: set {ConfigLocator.RunVariable}=ckpts/<project> (README, \"Test your checkpoint\") to search for the setup the checkpoint answers to");
        var s = run.Search;
        var stated = s.Trials[0];
        string statedText = $"the stated training setup ({s.Stated.Describe()}) scores {stated.Score?.ToString("0.###") ?? stated.Error ?? "n/a"} on {run.MetricId}" + (stated.ConfirmScore is double cs && !stated.Confirmed ? $" (second seed {cs:0.###})" : "");
        string samples = run.Samples.Count == 0 ? "" : " " + string.Join(" ", run.Samples.Select(x => x.Describe(run.MetricId, stated.Score) + "."));
        string cost = $" Search cost: {s.Trials.Count} setups, {s.SampledRuns} trainer-path re-speaks, {s.Seconds:0.0} s.";
        if (s.Found is null)
            return new(StatedSetupId, RowState.Fail, $"{statedText}, and no setup tried speaks: " +
                string.Join("; ", s.Trials.Select(t => $"{t.Setup.Describe()} {t.Score?.ToString("0.###") ?? t.Error ?? "n/a"}")) +
                ". Look at training itself (the trainer's samples, the loss)." + samples + cost);
        var assumed = run.Setup.Missing.Where(m => !m.StartsWith("infer", StringComparison.Ordinal)).ToList();
        string assumedText = assumed.Count == 0 ? "" : $" Assumed, not read from the run's files: {string.Join("; ", assumed)}.";
        // a training fact (DiT options, vocab, text) the search settled on differently; raw vs EMA weights is not
        // one: the trainer samples its online (raw) weights by definition, and both are weights of this checkpoint
        var facts = s.StatedSpeaks ? [] : s.Stated.DifferencesFrom(s.Found.Setup).Where(d => !d.StartsWith("weights:", StringComparison.Ordinal)).ToList();
        if (!stated.Confirmed || facts.Count > 0)
            return new(StatedSetupId, RowState.Fail, $"{statedText}: it does not reproduce the trainer. The checkpoint speaks under {s.Found.Setup.Describe()} " +
                $"(score {s.Found.Score:0.###}, confirmed {s.Found.ConfirmScore:0.###} on a second seed); the stated setup differs in: " +
                string.Join("; ", s.Stated.DifferencesFrom(s.Found.Setup)) + ". Fix the run's files or the explicit settings that state it." + assumedText + samples + cost);
        // the stated setup speaks; with facts assumed the search may still have found one scoring higher
        string better = s.StatedSpeaks ? "" : $" The search found one scoring higher: {s.Found.Setup.Describe()} ({s.Found.Score:0.###}, confirmed {s.Found.ConfirmScore:0.###}; differs in: {string.Join("; ", s.Stated.DifferencesFrom(s.Found.Setup))}).";
        return new(StatedSetupId, RowState.Pass, $"{statedText}, confirmed {stated.ConfirmScore:0.###} on a second seed.{better}{assumedText}{samples}{cost}");
    }

    /// <summary>Every row of one diagnosis, in the order a test runner lists them.</summary>
    public static IReadOnlyList<CheckpointRow> All(DiagnosisReport r, string? bundle = null, RunSearch? run = null) =>
    [
        StatedSetup(run), Trainer(r), Infer(r),
        .. HypothesisCatalogue.Ids.Select(id => Hypothesis(r, id, bundle)),
        .. StaticFamilies.Select(s => Static(r, s.Id)),
    ];
}
