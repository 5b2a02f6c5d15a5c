using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Checkpoints;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// Checks that need no sampling, run before anything else: vocab rows vs <c>text_embed</c> rows, vocab file quirks,
/// training vs inference vocab order, characters of the texts missing from the vocab (they become id 0 = " "),
/// EMA-vs-raw distance and the EMA step, the config implied by the tensors vs the configs given, NaN/Inf in weights,
/// the reference's loudness and what the CLI flow's <c>preprocess_ref_audio_text</c> keeps of it.
/// </summary>
public static class StaticChecks
{
    public static IReadOnlyList<StaticFinding> Run(Runner runner, DiagnosisPaths paths)
    {
        var findings = new List<StaticFinding>();
        var t = paths.Trainer;
        var i = paths.Infer;
        foreach (var ckPath in new[] { t.Checkpoint, i.Checkpoint, paths.OtherCheckpoint }.OfType<string>().Distinct())
        {
            TrainerCheckpoint ck;
            try { ck = runner.Inputs.Checkpoint(ckPath); }
            catch (Errors.F5ParityInputException e)
            {
                findings.Add(new("checkpoint-readable", Severity.Error, $"{Path.GetFileName(ckPath)}: {e.Message}", "checkpoint"));
                continue;
            }
            CheckpointChecks(ck, findings, t, i);
        }
        VocabChecks(runner, t, i, findings);
        TextChecks(t, i, findings);
        ConfigChecks(t, i, findings);
        ReferenceChecks(runner, i, findings);
        return findings;
    }

    /// <summary>
    /// What the inference side does to the reference before sampling: its loudness (raised to RMS 0.1 when quieter) and,
    /// in the CLI flow, what <c>preprocess_ref_audio_text</c> keeps of it — a clip cut while ref_text stays whole no
    /// longer matches its transcript.
    /// </summary>
    static void ReferenceChecks(Runner runner, RunSpec i, List<StaticFinding> findings)
    {
        if (i.RefMelId is not null || string.IsNullOrEmpty(i.RefAudioPath)) return;
        string name = Short(i.RefAudioPath);
        using var scope = NewDisposeScope();
        try
        {
            // the runner's copies: read and preprocessed once, for these checks and for every run
            var (audio, rate) = runner.Inputs.Audio(i.RefAudioPath);
            float rms = Pipelines.ReferenceAudio.Rms(Pipelines.ReferenceAudio.ToMono(audio));
            bool raised = i.NormalizeRms && rms < 0.1f;
            findings.Add(new("reference-rms", Severity.Info,
                $"{name}: RMS {rms:0.####} ({audio.shape[^1] / (double)rate:0.##} s at {rate} Hz)" +
                (raised ? $"; inference raises it to 0.1 (log-mel offset {Math.Log(0.1 / rms):0.###} on the prompt), the trainer's dataset mel keeps it" : ""),
                "reference-audio", new Dictionary<string, double> { ["rms"] = rms, ["seconds"] = audio.shape[^1] / (double)rate }));
            if (!i.PreprocessRefAudio) return;
            var pre = runner.Inputs.PreprocessedAudio(i.RefAudioPath);
            var values = new Dictionary<string, double> { ["seconds_in"] = pre.InputSeconds, ["seconds_out"] = pre.OutputSeconds, ["clip_step"] = pre.ClipStep };
            findings.Add(pre.ClipStep > 0
                ? new("reference-preprocess", Severity.Warning,
                    $"{name}: preprocess_ref_audio_text keeps {pre.OutputSeconds:0.##} of {pre.InputSeconds:0.##} s ({ClipHow(pre.ClipStep)}) but ref_text stays whole: the transcript no longer matches the audio — use a reference under 12 s",
                    "reference-audio", values)
                : new("reference-preprocess", Severity.Info,
                    $"{name}: preprocess_ref_audio_text trims edges below −42 dBFS and pads 50 ms: {pre.InputSeconds:0.###} s → {pre.OutputSeconds:0.###} s at {pre.SampleRate} Hz",
                    "reference-audio", values));
        }
        catch (Errors.F5ParityInputException e)
        {
            findings.Add(new("reference-readable", Severity.Error, e.Message, "reference-audio"));
        }
    }

    static string ClipHow(int step) => step switch
    {
        1 => "cut at a silence of ≥ 1 s",
        2 => "cut at a silence of ≥ 100 ms",
        _ => "hard cut at 12 s: no silence to cut at",
    };

    static void CheckpointChecks(TrainerCheckpoint ck, List<StaticFinding> findings, RunSpec t, RunSpec i)
    {
        string name = Short(ck.Path);
        var layout = $"{name}: layout {ck.Layout}, raw weights {(ck.ModelStateDict is null ? "absent" : "present")}, EMA {(ck.EmaModelStateDict is null ? "absent" : "present")}" +
            (ck.Update is long u ? $", {ck.UpdateKey} = {u}" : "") + (ck.EmaStep is long s ? $", EMA step = {s}" : "");
        findings.Add(new("checkpoint-layout", ck.ModelStateDict is null && !t.UseEma && ck.Path == t.Checkpoint ? Severity.Error : Severity.Info, layout, "ema",
            new Dictionary<string, double> { ["update"] = ck.Update ?? -1, ["ema_step"] = ck.EmaStep ?? -1 }));

        CheckpointKeyPrefixCheck.Run(ck, t, i, findings);
        foreach (var (label, sd) in new[] { ("raw", ck.ModelStateDict), ("ema", ck.EmaModelStateDict) })
        {
            if (sd is null) continue;
            var bad = TensorHealth.NonFinite(sd);
            long values = sd.Values.Where(v => v.is_floating_point()).Sum(v => v.numel());
            long nonFinite = bad.Sum(b => b.NaN + b.PositiveInfinity + b.NegativeInfinity);
            findings.Add(new("weights-finite", bad.Count > 0 ? Severity.Error : Severity.Ok,
                bad.Count > 0 ? $"{name} {label}: {nonFinite} NaN/Inf values of {values} in {bad.Count} tensor(s), so every sample is NaN (e.g. {string.Join("; ", bad.Take(3))})"
                    : $"{name} {label}: all {values} values finite",
                label == "ema" ? "ema" : "checkpoint", new Dictionary<string, double> { ["non_finite"] = nonFinite, ["values"] = values }));
        }

        if (ck.ModelStateDict is not null && ck.EmaModelStateDict is not null)
        {
            var raw = ck.InferenceStateDict(useEma: false);
            var ema = ck.InferenceStateDict(useEma: true);
            double num = 0, den = 0;
            foreach (var (k, v) in raw)
            {
                if (!ema.TryGetValue(k, out var e) || !v.is_floating_point() || !v.shape.SequenceEqual(e.shape)) continue;
                using var scope = NewDisposeScope();
                // pow with a kept-alive 2, not square(): see Torch/Scalars
                num += (v.to(ScalarType.Float64) - e.to(ScalarType.Float64)).pow(F5Parity.Torch.Scalars.IntTwo).sum().item<double>();
                den += v.to(ScalarType.Float64).pow(F5Parity.Torch.Scalars.IntTwo).sum().item<double>();
            }
            double rel = den > 0 ? Math.Sqrt(num / den) : 0;
            var sev = rel > 0.01 && i.UseEma != t.UseEma ? Severity.Warning : Severity.Info;
            findings.Add(new("ema-distance", sev,
                $"{name}: EMA weights differ from the raw weights by {rel * 100:0.###} % relative L2" +
                (ck.EmaStep is long st && st > 1_000_000 ? $"; EMA step {st} means decay 0.9999 every 10 updates — a fine-tune restored from a pretrained EMA barely moves it (≈ 1 − 0.9999^(N/10))" : ""),
                "ema", new Dictionary<string, double> { ["relative_l2"] = rel, ["ema_step"] = ck.EmaStep ?? -1 }));
        }

        ImpliedConfig implied;
        try
        {
            var weights = ck.InferenceStateDict(useEma: ck.ModelStateDict is null);
            // a wrapper's key prefix is its own finding (checkpoint-key-prefix): read the shapes behind it
            if (KeyPrefix.Find(weights.Keys) is { } prefix) weights = prefix.Strip(weights);
            implied = ImpliedConfig.FromStateDict(weights, ck.Path);
        }
        catch (Errors.F5ParityInputException e)
        {
            findings.Add(new("implied-config", Severity.Error, e.Message, "config"));
            return;
        }
        foreach (var (side, spec) in new[] { ("training", t), ("inference", i) })
        {
            var mm = implied.Mismatches(spec.ModelConfig.Config);
            // a config that differs only in text_num_embeds was built from another vocab size: a vocab fault
            bool onlyVocabRows = mm.Count > 0 && implied.Mismatches(spec.ModelConfig.Config with { TextNumEmbeds = implied.TextNumEmbeds }).Count == 0;
            findings.Add(new($"implied-config-{side}", mm.Count > 0 ? Severity.Error : Severity.Ok,
                mm.Count > 0 ? $"{name} vs {side} config {spec.ModelConfig}: {string.Join("; ", mm)}" + (onlyVocabRows ? $" — the {side} vocab has another size than the one the model was trained with" : "")
                    : $"{name}: tensors agree with the {side} config {spec.ModelConfig} (text_mask_padding and pe_attn_head cannot be read from tensors)",
                onlyVocabRows ? "vocab" : "config", new Dictionary<string, double> { ["text_embed_rows"] = implied.TextNumEmbeds + 1 }));
        }
    }

    /// <summary>The last three path segments ("v0/trainer_run/model_4.pt"): enough to tell files of one name apart.</summary>
    public static string Short(string path)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('/', parts.Skip(Math.Max(0, parts.Length - 3)));
    }

    static void VocabChecks(Runner runner, RunSpec t, RunSpec i, List<StaticFinding> findings)
    {
        Vocab? tv = null, iv = null;
        foreach (var (side, spec) in new[] { ("training", t), ("inference", i) })
        {
            Vocab v;
            try { v = runner.Inputs.Vocab(spec.VocabPath); }
            catch (Errors.F5ParityInputException e)
            {
                findings.Add(new($"vocab-{side}", Severity.Error, e.Message, "vocab"));
                continue;
            }
            if (side == "training") tv = v; else iv = v;
            findings.Add(new($"vocab-size-{side}", v.Size == spec.ModelConfig.Config.TextNumEmbeds ? Severity.Ok : Severity.Error,
                $"{side} vocab {Path.GetFileName(v.Path)}: {v.Size} entries → text_embed rows {v.Size + 1}; config text_num_embeds {spec.ModelConfig.Config.TextNumEmbeds}",
                "vocab", new Dictionary<string, double> { ["entries"] = v.Size, ["lines"] = v.LineCount }));
            foreach (var q in v.Quirks)
                findings.Add(new($"vocab-quirk-{side}", q.Kind is VocabQuirkKind.CrLfLineEnds ? Severity.Info : Severity.Warning,
                    $"{side} vocab {Path.GetFileName(v.Path)}: {q}", "vocab"));
            var text = spec.RefText + " " + (spec.GenText ?? "");
            var tokens = Runner.Tokenize(text, spec.Text);
            var unknown = v.UnknownTokens(tokens).Distinct().ToList();
            findings.Add(new($"unknown-chars-{side}", unknown.Count > 0 ? Severity.Warning : Severity.Ok,
                unknown.Count > 0
                    ? $"{side} texts ({spec.Text.Describe()}): {string.Join(" ", unknown.Select(u => PythonStr.Describe(u)))} not in {Path.GetFileName(v.Path)} → id 0 (\" \")"
                    : $"{side} texts: every token is in {Path.GetFileName(v.Path)}",
                "vocab", new Dictionary<string, double> { ["unknown"] = unknown.Count }));
        }
        if (tv is not null && iv is not null && tv.Path != iv.Path)
        {
            int common = tv.Ids.Keys.Count(iv.Ids.ContainsKey);
            int moved = tv.Ids.Count(kv => iv.Ids.TryGetValue(kv.Key, out var id) && id != kv.Value);
            var sev = moved > 0 || tv.Size != iv.Size ? Severity.Error : Severity.Ok;
            findings.Add(new("vocab-training-vs-inference", sev,
                $"training vocab {tv.Size} entries, inference vocab {iv.Size}; {common} tokens in both, {moved} of them with a different id" +
                (tv.Size == iv.Size && moved > 0 ? " — same size, different order: loads silently and scrambles the text" : ""),
                "vocab", new Dictionary<string, double> { ["moved"] = moved, ["common"] = common }));
        }
    }

    /// <summary>
    /// The texts as the dataset's processing would store them vs as inference's <c>convert_char_to_pinyin</c> feeds
    /// them: any token that differs is a token sequence the model never saw in training.
    /// </summary>
    static void TextChecks(RunSpec t, RunSpec i, List<StaticFinding> findings)
    {
        if (t.Text == i.Text) return;
        var differing = new List<string>();
        foreach (var text in new[] { i.RefText, i.GenText }.OfType<string>())
        {
            var stored = Runner.Tokenize(text, t.Text);
            var fed = Runner.Tokenize(text, i.Text);
            if (!stored.SequenceEqual(fed)) differing.Add($"'{string.Concat(stored)}' → '{string.Concat(fed)}' ({stored.Count} → {fed.Count} tokens)");
        }
        findings.Add(new("text-processing", differing.Count > 0 ? Severity.Warning : Severity.Ok,
            differing.Count > 0
                ? $"the dataset's text processing ({t.Text.Describe()}) and inference's ({i.Text.Describe()}) give other tokens: {string.Join("; ", differing)}"
                : $"the dataset's text processing ({t.Text.Describe()}) and inference's ({i.Text.Describe()}) give the same tokens on the configured texts",
            "pinyin", new Dictionary<string, double> { ["texts_differing"] = differing.Count }));
    }

    static void ConfigChecks(RunSpec t, RunSpec i, List<StaticFinding> findings)
    {
        // text_num_embeds follows each side's vocab (upstream builds the model from it): the vocab checks judge that
        bool same = t.ModelConfig.Config == i.ModelConfig.Config with { TextNumEmbeds = t.ModelConfig.Config.TextNumEmbeds };
        findings.Add(new("config-training-vs-inference", same ? Severity.Ok : Severity.Error,
            same ? $"training and inference use the same model config ({t.ModelConfig})"
                : $"training config {t.ModelConfig} vs inference config {i.ModelConfig}: same tensors load silently into either",
            "config"));
    }
}
