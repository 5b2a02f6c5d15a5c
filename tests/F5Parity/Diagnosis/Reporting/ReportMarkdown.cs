using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using System.Globalization;
using System.Text;

namespace F5Parity.Diagnosis.Reporting;

/// <summary>
/// report.md: the verdict, what to do, the hypothesis and ladder tables, static checks and the runs, written to be
/// pasted into a GitHub issue — so never longer than <see cref="MaxCharacters"/>, a GitHub issue body's limit. A text
/// longer than <see cref="MaxInline"/> (a strict load's list of every key, a long token list) is cut in the md and
/// kept whole in a file under <c>details/</c>, and the md says which; should the md still be too long, it is cut at
/// a line and the whole of it is <c>report-full.md</c>.
/// </summary>
public sealed class ReportMarkdown
{
    /// <summary>GitHub's limit for an issue body, in characters.</summary>
    public const int MaxCharacters = 65_536;

    /// <summary>The longest single message, reason or list the md shows inline.</summary>
    public const int MaxInline = 600;

    /// <summary>The file holding the whole md when it had to be cut.</summary>
    public const string FullFile = "report-full.md";

    readonly List<(string Path, string Text)> _files = [];

    /// <summary>The md text and the files (bundle-relative path, text) it refers to for what it cut.</summary>
    /// <param name="r">The report.</param>
    /// <param name="fileHashes">Its <see cref="ReportJson.FileHashes"/> (the md lists those of the checkpoints and vocabs).</param>
    public static (string Markdown, IReadOnlyList<(string Path, string Text)> Files) Build(DiagnosisReport r,
        IReadOnlyList<(string Path, string Sha256)> fileHashes)
    {
        var writer = new ReportMarkdown();
        string md = writer.Write(r, fileHashes);
        if (md.Length > MaxCharacters)
        {
            writer._files.Add((FullFile, md));
            string note = $"\n\n**report.md is cut here** to fit a GitHub issue body ({MaxCharacters:N0} characters); the whole report is `{FullFile}` in the bundle.\n";
            int cut = md.LastIndexOf('\n', MaxCharacters - note.Length - 1);
            md = md[..Math.Max(cut, 0)] + note;
        }
        return (md, writer._files);
    }

    /// <summary><paramref name="text"/>, or its start and where the whole is when it is longer than <see cref="MaxInline"/>.</summary>
    string Clip(string? text, string file)
    {
        text ??= "";
        if (text.Length <= MaxInline) return text;
        string path = $"details/{file}.txt";
        _files.Add((path, text));
        int cut = MaxInline - 200;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return $"{text[..cut]}… ({text.Length:N0} characters; the whole text is `{path}`)";
    }

    static string F(double? v, string fmt = "0.###") => v is double d ? d.ToString(fmt, CultureInfo.InvariantCulture) : "–";
    static string Cell(string? s) => (s ?? "").Replace("|", "\\|").Replace("\n", " ");

    string Write(DiagnosisReport r, IReadOnlyList<(string Path, string Sha256)> fileHashes)
    {
        var sb = new StringBuilder();
        var v = r.Verdict;
        sb.AppendLine("## F5Parity diagnosis");
        sb.AppendLine();
        sb.AppendLine($"**Verdict: `{v.Hypothesis}`** — {Clip(v.Summary, "verdict-summary")}");
        sb.AppendLine();
        if (v.Actions.Count > 0)
        {
            sb.AppendLine("**What to do**");
            sb.AppendLine();
            for (int k = 0; k < v.Actions.Count; k++) sb.AppendLine($"- {Clip(v.Actions[k], $"action-{k + 1}")}");
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
            sb.AppendLine($"| `{h.Hypothesis.Id}` | **{h.Outcome.ToId()}** | {F(h.ControlQuality?.Score)} | {F(h.TreatmentQuality?.Score)} | {h.Effect?.ToString() ?? "–"} | {Cell(Clip(h.Reason, $"hypothesis-{h.Hypothesis.Id}"))} | {Cell(h.Hypothesis.Upstream)} |");
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
            sb.AppendLine($"| {l.Index} `{l.Id}` | {Cell(flip)}{mark} | {F(l.Quality?.Score)} | {(l.Quality is null ? "–" : l.Quality.Good ? "yes" : "no")} | {l.StepEffect?.ToString() ?? "–"} | `{ReportWriter.RungFolder(l)}/` |");
        }
        sb.AppendLine();
        sb.AppendLine("### Static checks");
        sb.AppendLine();
        int n = 0;
        foreach (var f in r.StaticFindings.OrderByDescending(f => f.Severity))
            sb.AppendLine($"- **{f.Severity.ToString().ToLowerInvariant()}** `{f.Check}`: {Clip(f.Message, $"static-{++n:00}-{f.Check}")}");
        sb.AppendLine();
        sb.AppendLine("<details><summary>Runs, tokens, files, environment</summary>");
        sb.AppendLine();
        foreach (var (name, run) in new[] { ("trainer", r.TrainerRun), ("infer", r.InferRun) })
        {
            sb.AppendLine($"**{name}**: `{run.Spec.Describe()}`");
            sb.AppendLine();
            if (run.Output is { } o)
            {
                sb.AppendLine($"- tokens ({o.Tokens.Count}): `{Cell(Clip(string.Concat(o.Tokens), $"{name}-tokens"))}`");
                sb.AppendLine($"- ids: `{Clip(string.Join(" ", o.TextIds), $"{name}-ids")}`");
                sb.AppendLine($"- duration {o.Duration} frames, generated part starts at frame {o.RefFrames}");
            }
            foreach (var m in run.Metrics)
                sb.AppendLine($"- {m.MetricId}: score {F(m.Score)} ({(m.Good ? "good" : "bad")}); {string.Join(", ", m.Values.Select(kv => $"{kv.Key} {F(kv.Value)}"))}{(m.Transcript is null ? "" : $"; transcript \"{Clip(m.Transcript, $"{name}-{m.MetricId}-transcript")}\"")}{(m.Note is null ? "" : $"; {m.Note}")}");
            if (run.Error is not null) sb.AppendLine($"- error: {Clip(run.Error, $"{name}-error")}");
            sb.AppendLine();
        }
        sb.AppendLine("| file | sha256 |");
        sb.AppendLine("|---|---|");
        var hashes = fileHashes.ToDictionary(f => f.Path, f => f.Sha256);
        foreach (var p in new[] { r.Paths.Trainer.Checkpoint, r.Paths.Infer.Checkpoint, r.Paths.OtherCheckpoint, r.Paths.Trainer.VocabPath, r.Paths.Infer.VocabPath }.OfType<string>().Distinct())
            sb.AppendLine($"| `{StaticChecks.Short(p)}` | `{hashes[p]}` |");
        sb.AppendLine();
        var e = r.Environment;
        sb.AppendLine($"Environment: {e.Os}; {e.Cpu} ({e.CpuCores} cores); GPU {e.Gpu}; device {e.Device}; TorchSharp {e.TorchSharp}; libtorch {e.LibTorch}; F5Parity {e.F5Parity}; {e.DotNet}. {r.SampledRuns} runs sampled in {r.Seconds:0} s." +
            (r.Determinism is { } d ? $" Deterministic algorithms {(d.DeterministicAlgorithms ? d.WarnOnly ? "on (warn only)" : "on" : "off")}, {d.Threads} thread(s)." : ""));
        sb.AppendLine();
        sb.AppendLine("</details>");
        return sb.ToString();
    }
}
