using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using F5Parity.Audio;
using F5Parity.Errors;
using F5Parity.Reports;

namespace F5Parity.Diagnosis.Reporting;

/// <summary>
/// Writes the report bundle (docs/report-schema.md): report.md, report.json, and per run a wav, a mel PNG and a
/// result.json under rungs/ and hypotheses/. A folder is written only when it is empty, missing, or holds an earlier
/// bundle (marked by <see cref="Marker"/>); anything else is refused unless <c>force</c> (which still writes only the
/// bundle's own file names).
/// </summary>
public static class ReportWriter
{
    /// <summary>The schema id in report.json; bumped only on a breaking change.</summary>
    public const string Schema = "f5parity-diagnosis/1";

    /// <summary>The file that marks a folder as a bundle this writer may replace.</summary>
    public const string Marker = ".f5parity-bundle";

    public static void Write(DiagnosisReport report, string folder, bool force = false)
    {
        PrepareFolder(folder, force);
        File.WriteAllText(Path.Combine(folder, Marker), Schema + "\n");
        var json = ToJson(report);
        WriteRunFiles(report, folder);
        File.WriteAllText(Path.Combine(folder, "report.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        File.WriteAllText(Path.Combine(folder, "report.md"), ToMarkdown(report));
    }

    /// <summary>
    /// Refuses, before the diagnosis runs, a folder that exists and is neither empty nor an earlier bundle (unless
    /// <paramref name="force"/>), or that cannot be created or written; changes nothing in an existing folder.
    /// </summary>
    public static void CheckFolder(string folder, bool force)
    {
        if (Directory.Exists(folder) && !force && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, Marker)))
            throw new ConfigurationException(folder, "output folder exists and is not an F5Parity report bundle; refusing to write into it (pass --force, or choose another F5PARITY_OUT)");
        F5Parity.Reports.OutputFolder.Open(folder); // creates it if needed and proves it writable
    }

    static void PrepareFolder(string folder, bool force)
    {
        if (!Directory.Exists(folder)) { Directory.CreateDirectory(folder); return; }
        bool empty = !Directory.EnumerateFileSystemEntries(folder).Any();
        bool ours = File.Exists(Path.Combine(folder, Marker));
        if (ours)
        {
            foreach (var sub in new[] { "rungs", "hypotheses" })
                if (Directory.Exists(Path.Combine(folder, sub))) Directory.Delete(Path.Combine(folder, sub), recursive: true);
            return;
        }
        if (!empty && !force)
            throw new ConfigurationException(folder, "output folder exists and is not an F5Parity report bundle; refusing to write into it (pass --force, or choose another F5PARITY_OUT)");
    }

    // ---------------------------------------------------------------- files per run

    static string RungFolder(LadderRung r) => Path.Combine("rungs", $"{r.Index:00}-{r.Id}");

    static void WriteRunFiles(DiagnosisReport report, string folder)
    {
        foreach (var rung in report.Ladder)
            WriteRun(rung.Result, Path.Combine(folder, RungFolder(rung)), $"rung {rung.Index} {rung.Id}", "gen");
        foreach (var h in report.Hypotheses)
        {
            if (h.Treatment is null) continue;
            var dir = Path.Combine(folder, "hypotheses", h.Hypothesis.Id);
            if (h.Control is not null) WriteRun(h.Control, dir, $"{h.Hypothesis.Id} control", "control");
            WriteRun(h.Treatment, dir, $"{h.Hypothesis.Id} treatment", "treatment");
        }
    }

    static void WriteRun(RunResult r, string dir, string title, string name)
    {
        Directory.CreateDirectory(dir);
        if (r.Output is { } o)
        {
            WavFile.Write(Path.Combine(dir, name + ".wav"), o.Wave, o.SampleRate, overwrite: true);
            if (o.GenMel.shape[^1] > 0) MelPlot.SavePng(o.GenMel, Path.Combine(dir, name + ".png"), title);
        }
        File.WriteAllText(Path.Combine(dir, name + ".json"), RunJson(r).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    // ---------------------------------------------------------------- report.json

    static JsonNode? Num(double? v) => v is double d && double.IsFinite(d) ? JsonValue.Create(Math.Round(d, 6)) : null;

    static JsonObject Measurement(QualityMeasurement q)
    {
        var values = new JsonObject();
        foreach (var (k, v) in q.Values) values[k] = Num(v);
        return new JsonObject
        {
            ["metric"] = q.MetricId, ["score"] = Num(q.Score), ["good"] = q.Good, ["values"] = values,
            ["transcript"] = q.Transcript, ["note"] = q.Note,
        };
    }

    public static JsonObject SpecJson(RunSpec s) => new()
    {
        ["code"] = s.Code.ToString().ToLowerInvariant(),
        ["checkpoint"] = s.Checkpoint,
        ["weights"] = s.UseEma ? "ema" : "raw",
        ["model_config"] = s.ModelConfig.Name,
        ["model_config_options"] = s.ModelConfig.ComputeOptions,
        ["vocab"] = s.VocabPath,
        ["text_processing"] = s.Text.ToSchemaName(),
        ["ref_audio"] = s.RefMelId is null ? s.RefAudioPath : null,
        ["ref_mel"] = s.RefMelId,
        ["ref_text"] = s.RefText,
        ["gen_text"] = s.GenText,
        ["target_text"] = s.TargetText,
        ["normalize_rms"] = s.NormalizeRms,
        ["preprocess_ref_audio"] = s.PreprocessRefAudio,
        ["preprocess_ref_text"] = s.PreprocessRefText,
        ["duration_rule"] = s.Duration == DurationRule.TwiceReference ? "twice-reference" : "byte-ratio",
        ["cut"] = s.Cut == Pipelines.OutputCut.MelFrames ? "mel-frames" : "hop-floor",
        ["nfe_step"] = s.NfeStep,
        ["cfg_strength"] = s.CfgStrength,
        ["sway_sampling_coef"] = Num(s.SwaySamplingCoef),
        ["use_epss"] = s.UseEpss,
        ["seed"] = s.Seed,
        ["dtype"] = s.Precision.ToName(),
        ["mode"] = s.TrainMode ? "train" : "eval",
    };

    public static JsonObject RunJson(RunResult r)
    {
        var o = new JsonObject { ["spec"] = SpecJson(r.Spec), ["error"] = r.Error };
        if (r.Output is { } out_)
        {
            o["frames"] = out_.GenMel.shape[^1];
            o["duration_frames"] = out_.Duration;
            o["ref_frames"] = out_.RefFrames;
            o["seconds"] = Num(out_.Seconds);
            o["tokens"] = new JsonArray(out_.Tokens.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
            o["text_ids"] = new JsonArray(out_.TextIds.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        }
        o["metrics"] = new JsonArray(r.Metrics.Select(m => (JsonNode?)Measurement(m)).ToArray());
        return o;
    }

    static JsonObject? Effect(Effect? e) => e is null ? null : new JsonObject
    {
        ["relative_l2"] = Num(e.RelativeL2), ["frames_a"] = e.FramesA, ["frames_b"] = e.FramesB,
        ["non_finite_a"] = e.NonFiniteA, ["non_finite_b"] = e.NonFiniteB,
    };

    static JsonObject? Brief(RunResult? r, string metricId) => r is null ? null : new JsonObject
    {
        ["spec"] = SpecJson(r.Spec),
        ["error"] = r.Error,
        ["score"] = Num(r.Metric(metricId)?.Score),
        ["good"] = r.Metric(metricId)?.Good,
        ["metrics"] = new JsonArray(r.Metrics.Select(m => (JsonNode?)Measurement(m)).ToArray()),
    };

    static string Sha256(string path)
    {
        if (!File.Exists(path)) return "missing";
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    public static JsonObject ToJson(DiagnosisReport r)
    {
        var files = new JsonObject();
        foreach (var p in new[] { r.Paths.Trainer.Checkpoint, r.Paths.Infer.Checkpoint, r.Paths.OtherCheckpoint, r.Paths.Trainer.VocabPath, r.Paths.Infer.VocabPath, r.Paths.Trainer.RefAudioPath }
                     .OfType<string>().Where(p => p.Length > 0).Distinct())
            files[p] = Sha256(p);
        return new JsonObject
        {
            ["schema"] = Schema,
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
            ["paths"] = new JsonObject { ["trainer"] = RunJson(r.TrainerRun), ["infer"] = RunJson(r.InferRun) },
            ["static_checks"] = new JsonArray(r.StaticFindings.Select(f => (JsonNode?)new JsonObject
            {
                ["check"] = f.Check, ["severity"] = f.Severity.ToString().ToLowerInvariant(), ["message"] = f.Message, ["hypothesis"] = f.Hypothesis,
                ["values"] = f.Values is null ? null : new JsonObject(f.Values.Select(kv => KeyValuePair.Create(kv.Key, Num(kv.Value)))),
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
                ["relative_drop"] = Num(h.RelativeDrop),
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
                ["score"] = Num(l.Quality?.Score),
                ["good"] = l.Quality?.Good,
                ["step_effect"] = Effect(l.StepEffect),
                ["error"] = l.Result.Error,
                ["transcript"] = l.Quality?.Transcript,
                ["files"] = RungFolder(l),
            }).ToArray()),
            ["ladder_sampling"] = LadderSamplingReport.Json(r),
            ["files_sha256"] = files,
            ["configuration"] = new JsonObject
            {
                ["sources"] = new JsonArray(r.Config.Sources.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["values"] = JsonSerializer.SerializeToNode(r.Config with { Sources = [] }),
            },
            ["environment"] = JsonSerializer.SerializeToNode(r.Environment),
            ["sampled_runs"] = r.SampledRuns,
            ["seconds"] = Num(r.Seconds),
        };
    }

    // ---------------------------------------------------------------- report.md

    static string F(double? v, string fmt = "0.###") => v is double d ? d.ToString(fmt, CultureInfo.InvariantCulture) : "–";
    static string Cell(string? s) => (s ?? "").Replace("|", "\\|").Replace("\n", " ");

    public static string ToMarkdown(DiagnosisReport r)
    {
        var sb = new StringBuilder();
        var v = r.Verdict;
        sb.AppendLine("## F5Parity diagnosis");
        sb.AppendLine();
        sb.AppendLine($"**Verdict: `{v.Hypothesis}`** — {v.Summary}");
        sb.AppendLine();
        if (v.Actions.Count > 0)
        {
            sb.AppendLine("**What to do**");
            sb.AppendLine();
            foreach (var a in v.Actions) sb.AppendLine($"- {a}");
            sb.AppendLine();
        }
        var metric = r.Metrics.First(m => m.Id == r.MetricId);
        var inf = r.Paths.Infer;
        sb.AppendLine($"Paths compared: the trainer's log-sample run (`{r.Paths.Trainer.Precision.ToName()}`) and infer_process " +
            (inf.PreprocessRefText || inf.PreprocessRefAudio
                ? "as the CLI / API call it (`preprocess_ref_audio_text` first" + (inf.PreprocessRefAudio ? ": reference clipped, trimmed and padded" : "") + ", `\". \"` after ref_text)"
                : "called directly (no `preprocess_ref_audio_text`)") + $", `{inf.Precision.ToName()}`.").AppendLine();
        if (r.Paths.Trainer.RefMelId is string melId)
            sb.AppendLine($"Reference: given as a mel (`{melId}`, the dataset mel of a training sentence), on both paths. RMS normalisation, resampling, preprocess_ref_audio_text's clip/trim/pad and the one-frame-earlier cut act on audio: they do not apply and were **not tested** (`reference-audio` not run).").AppendLine();
        sb.AppendLine($"Metric: **{r.MetricId}** — {metric.Description}." +
            (r.Config.Seeds > 1 ? $" Each score is the mean over {r.Config.Seeds} noise draws (seeds {r.Config.Seed}, {r.Config.Seed + Runner.SeedStride}, …), a run good when most draws are." : "") +
            $" Outcomes: *implicated* = control good, treatment bad and the score fell ≥ {r.Thresholds.MinRelativeDrop * 100:0} %; *no-effect* = mel moved < {r.Thresholds.NoEffectRelativeL2:0.#e+0} relative L2.");
        sb.AppendLine();
        sb.AppendLine("### Hypotheses (control → treatment, one difference each)");
        sb.AppendLine();
        sb.AppendLine("| id | outcome | control | treatment | mel moved | finding | upstream |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var h in r.Hypotheses)
            sb.AppendLine($"| `{h.Hypothesis.Id}` | **{h.Outcome.ToId()}** | {F(h.ControlQuality?.Score)} | {F(h.TreatmentQuality?.Score)} | {h.Effect?.ToString() ?? "–"} | {Cell(h.Reason)} | {Cell(h.Hypothesis.Upstream)} |");
        sb.AppendLine();
        sb.AppendLine("<details><summary>What each hypothesis predicts and how it is measured</summary>");
        sb.AppendLine();
        foreach (var h in r.Hypotheses)
            sb.AppendLine($"- `{h.Hypothesis.Id}` — {h.Hypothesis.Title}. *Predicts:* {h.Hypothesis.Predicts} *Measured:* {h.Hypothesis.Measures}.");
        sb.AppendLine();
        sb.AppendLine("</details>");
        sb.AppendLine();
        sb.AppendLine("### Ladder (trainer path → infer_process, one flip per rung)");
        sb.AppendLine();
        sb.Append(LadderSamplingReport.Markdown(r));
        sb.AppendLine($"| rung | flips | {r.MetricId} | good | step change | files |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var l in r.Ladder)
        {
            string flip = l.Flipped is null ? "trainer log-sample run" : l.Changed ? l.Flipped.Title : $"({l.Flipped.Title}: same on both paths)";
            string mark = v.CollapseRung == l.Id && l.Index > 0 && Ladder.Collapse(r.Ladder)?.Index == l.Index ? " ⬅ collapse" : "";
            sb.AppendLine($"| {l.Index} `{l.Id}` | {Cell(flip)}{mark} | {F(l.Quality?.Score)} | {(l.Quality is null ? "–" : l.Quality.Good ? "yes" : "no")} | {l.StepEffect?.ToString() ?? "–"} | `{RungFolder(l)}/` |");
        }
        sb.AppendLine();
        sb.AppendLine("### Static checks");
        sb.AppendLine();
        foreach (var f in r.StaticFindings.OrderByDescending(f => f.Severity))
            sb.AppendLine($"- **{f.Severity.ToString().ToLowerInvariant()}** `{f.Check}`: {f.Message}");
        sb.AppendLine();
        sb.AppendLine("<details><summary>Runs, tokens, files, environment</summary>");
        sb.AppendLine();
        foreach (var (name, run) in new[] { ("trainer", r.TrainerRun), ("infer", r.InferRun) })
        {
            sb.AppendLine($"**{name}**: `{run.Spec.Describe()}`");
            sb.AppendLine();
            if (run.Output is { } o)
            {
                sb.AppendLine($"- tokens ({o.Tokens.Count}): `{Cell(string.Concat(o.Tokens))}`");
                sb.AppendLine($"- ids: `{string.Join(" ", o.TextIds)}`");
                sb.AppendLine($"- duration {o.Duration} frames, generated part starts at frame {o.RefFrames}");
            }
            foreach (var m in run.Metrics)
                sb.AppendLine($"- {m.MetricId}: score {F(m.Score)} ({(m.Good ? "good" : "bad")}); {string.Join(", ", m.Values.Select(kv => $"{kv.Key} {F(kv.Value)}"))}{(m.Transcript is null ? "" : $"; transcript \"{m.Transcript}\"")}{(m.Note is null ? "" : $"; {m.Note}")}");
            if (run.Error is not null) sb.AppendLine($"- error: {run.Error}");
            sb.AppendLine();
        }
        sb.AppendLine("| file | sha256 |");
        sb.AppendLine("|---|---|");
        foreach (var p in new[] { r.Paths.Trainer.Checkpoint, r.Paths.Infer.Checkpoint, r.Paths.OtherCheckpoint, r.Paths.Trainer.VocabPath, r.Paths.Infer.VocabPath }.OfType<string>().Distinct())
            sb.AppendLine($"| `{StaticChecks.Short(p)}` | `{Sha256(p)}` |");
        sb.AppendLine();
        var e = r.Environment;
        sb.AppendLine($"Environment: {e.Os}; {e.Cpu} ({e.CpuCores} cores); GPU {e.Gpu}; device {e.Device}; TorchSharp {e.TorchSharp}; libtorch {e.LibTorch}; F5Parity {e.F5Parity}; {e.DotNet}. {r.SampledRuns} runs sampled in {r.Seconds:0} s.");
        sb.AppendLine();
        sb.AppendLine("</details>");
        return sb.ToString();
    }
}
