using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace F5Parity.Diagnosis.Reporting;

/// <summary>
/// report.json (docs/report-schema.md, checked against docs/report-schema.json by the tests): the verdict, metrics,
/// both path runs, static checks, every hypothesis and rung, file hashes, configuration, environment and the
/// determinism switches the runs were sampled under. One run's JSON and its spec come from <see cref="ReportWriter"/>.
/// </summary>
public static class ReportJson
{
    static JsonObject? Effect(Effect? e) => e is null ? null : new JsonObject
    {
        ["relative_l2"] = ReportWriter.Num(e.RelativeL2), ["frames_a"] = e.FramesA, ["frames_b"] = e.FramesB,
        ["non_finite_a"] = e.NonFiniteA, ["non_finite_b"] = e.NonFiniteB,
    };

    static JsonObject? Brief(RunResult? r, string metricId) => r is null ? null : new JsonObject
    {
        ["spec"] = ReportWriter.SpecJson(r.Spec),
        ["error"] = r.Error,
        ["score"] = ReportWriter.Num(r.Metric(metricId)?.Score),
        ["good"] = r.Metric(metricId)?.Good,
        ["metrics"] = new JsonArray(r.Metrics.Select(m => (JsonNode?)ReportWriter.Measurement(m)).ToArray()),
    };

    /// <summary>The file's SHA-256 (hex), or "missing".</summary>
    public static string Sha256(string path)
    {
        if (!File.Exists(path)) return "missing";
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>
    /// The SHA-256 of each input file the report names (checkpoints, vocabs, the reference clip), in that order: hashed
    /// once per bundle (a checkpoint is gigabytes) for both report.json and report.md.
    /// </summary>
    public static IReadOnlyList<(string Path, string Sha256)> FileHashes(DiagnosisReport r) =>
        new[] { r.Paths.Trainer.Checkpoint, r.Paths.Infer.Checkpoint, r.Paths.OtherCheckpoint, r.Paths.Trainer.VocabPath, r.Paths.Infer.VocabPath, r.Paths.Trainer.RefAudioPath }
            .OfType<string>().Where(p => p.Length > 0).Distinct().Select(p => (p, Sha256(p))).ToList();

    /// <param name="r">The report.</param>
    /// <param name="fileHashes">Its <see cref="FileHashes"/>.</param>
    public static JsonObject ToJson(DiagnosisReport r, IReadOnlyList<(string Path, string Sha256)> fileHashes)
    {
        var files = new JsonObject();
        foreach (var (p, hash) in fileHashes) files[p] = hash;
        return new JsonObject
        {
            ["schema"] = ReportWriter.Schema,
            ["verdict"] = new JsonObject
            {
                ["hypothesis"] = r.Verdict.Hypothesis,
                ["summary"] = r.Verdict.Summary,
                ["collapse_rung"] = r.Verdict.CollapseRung,
                ["actions"] = new JsonArray(r.Verdict.Actions.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            },
            ["metric"] = new JsonObject
            {
                ["primary"] = r.MetricId,
                ["seeds"] = r.Config.Seeds,
                ["available"] = new JsonArray(r.Metrics.Select(m => (JsonNode?)new JsonObject { ["id"] = m.Id, ["description"] = m.Description }).ToArray()),
            },
            ["thresholds"] = new JsonObject { ["no_effect_relative_l2"] = r.Thresholds.NoEffectRelativeL2, ["min_relative_drop"] = r.Thresholds.MinRelativeDrop },
            ["paths"] = new JsonObject { ["trainer"] = ReportWriter.RunJson(r.TrainerRun), ["infer"] = ReportWriter.RunJson(r.InferRun) },
            ["static_checks"] = new JsonArray(r.StaticFindings.Select(f => (JsonNode?)new JsonObject
            {
                ["check"] = f.Check, ["severity"] = f.Severity.ToString().ToLowerInvariant(), ["message"] = f.Message, ["hypothesis"] = f.Hypothesis,
                ["values"] = f.Values is null ? null : new JsonObject(f.Values.Select(kv => KeyValuePair.Create(kv.Key, ReportWriter.Num(kv.Value)))),
            }).ToArray()),
            ["hypotheses"] = new JsonArray(r.Hypotheses.Select(h => (JsonNode?)new JsonObject
            {
                ["id"] = h.Hypothesis.Id,
                ["title"] = h.Hypothesis.Title,
                ["predicts"] = h.Hypothesis.Predicts,
                ["measures"] = h.Hypothesis.Measures,
                ["upstream"] = h.Hypothesis.Upstream,
                ["outcome"] = h.Outcome.ToId(),
                ["reason"] = h.Reason,
                ["relative_drop"] = ReportWriter.Num(h.RelativeDrop),
                ["effect"] = Effect(h.Effect),
                ["control"] = Brief(h.Control, r.MetricId),
                ["treatment"] = Brief(h.Treatment, r.MetricId),
                ["files"] = h.Treatment is null ? null : Path.Combine("hypotheses", h.Hypothesis.Id),
            }).ToArray()),
            ["ladder"] = new JsonArray(r.Ladder.Select(l => (JsonNode?)new JsonObject
            {
                ["index"] = l.Index,
                ["id"] = l.Id,
                ["flips"] = l.Flipped?.Title,
                ["changed"] = l.Changed,
                ["score"] = ReportWriter.Num(l.Quality?.Score),
                ["good"] = l.Quality?.Good,
                ["step_effect"] = Effect(l.StepEffect),
                ["error"] = l.Result.Error,
                ["transcript"] = l.Quality?.Transcript,
                ["files"] = ReportWriter.RungFolder(l),
            }).ToArray()),
            ["ladder_sampling"] = LadderSamplingReport.Json(r),
            ["files_sha256"] = files,
            ["configuration"] = new JsonObject
            {
                ["sources"] = new JsonArray(r.Config.Sources.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["values"] = JsonSerializer.SerializeToNode(r.Config with { Sources = [] }),
            },
            ["environment"] = JsonSerializer.SerializeToNode(r.Environment),
            ["determinism"] = r.Determinism is not { } d ? null : new JsonObject
            {
                ["deterministic_algorithms"] = d.DeterministicAlgorithms, ["warn_only"] = d.WarnOnly,
                ["cudnn_deterministic"] = d.CudnnDeterministic, ["cudnn_benchmark"] = d.CudnnBenchmark,
                ["cublas_tf32"] = d.CublasTf32, ["cudnn_tf32"] = d.CudnnTf32, ["threads"] = d.Threads,
                ["cublas_workspace_configured"] = d.CublasWorkspaceConfigured,
            },
            ["sampled_runs"] = r.SampledRuns,
            ["seconds"] = ReportWriter.Num(r.Seconds),
        };
    }
}
