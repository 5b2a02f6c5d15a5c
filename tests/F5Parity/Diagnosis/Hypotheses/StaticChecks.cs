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
    public static IReadOnlyList<StaticFinding> Run(InputFiles inputs, DiagnosisPaths paths)
    {
        var findings = new List<StaticFinding>();
        var t = paths.Trainer;
        var i = paths.Infer;
        foreach (var ckPath in new[] { t.Checkpoint, i.Checkpoint, paths.OtherCheckpoint }.OfType<string>().Distinct())
        {
            TrainerCheckpoint ck;
            try { ck = inputs.Checkpoint(ckPath); }
            catch (Errors.F5ParityInputException e)
            {
                findings.Add(new("checkpoint-readable", Severity.Error, $"{Path.GetFileName(ckPath)}: {e.Message}", "checkpoint"));
                continue;
            }
            CheckpointChecks(ck, findings, t, i);
        }
        VocabChecks.Add(inputs, t, i, findings);
        VocabChecks.AddTextProcessing(t, i, findings);
        ConfigChecks(t, i, findings);
        ReferenceChecks.Add(inputs, i, findings);
        return findings;
    }

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
