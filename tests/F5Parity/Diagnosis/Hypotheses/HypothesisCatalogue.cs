using F5Parity.Checkpoints;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Pipelines;

namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// Every theory, declared once. Unless a hypothesis says otherwise its control is the trainer's run and its
/// treatment flips exactly one <see cref="PathDifference"/> to the inference side's value, so a difference that is
/// the same on both configured paths gives a treatment equal to its control (outcome <c>no-effect</c>, sampled once).
/// Text-dependent theories (pinyin, vocab) are measured on the generation text, because the re-spoken training
/// transcript cannot show them. Probes that are not path differences (train-mode, seed) flip a value neither path uses.
/// </summary>
public static class HypothesisCatalogue
{
    static RunSpec Flip(DiagnosisPaths p, string difference) => PathDifference.Get(difference).Apply(p.Trainer, p.Infer);

    /// <summary>The trainer's run asked for the generation text (length by the byte-ratio rule, so the length follows the text).</summary>
    public static RunSpec NewTextControl(DiagnosisPaths p) => p.Trainer with { GenText = p.Infer.GenText, Duration = DurationRule.ByteRatio };

    static string? NeedsGenText(DiagnosisPaths p) => p.Infer.GenText is null ? "no generation text configured (F5PARITY_GEN_TEXT)" : null;

    public static readonly IReadOnlyList<Hypothesis> All =
    [
        new("precision", "Inference runs the whole model in fp16 (bf16), the trainer in fp32 or under autocast",
            "If implicated, the fp16 treatment is bad while the trainer's control (fp32, or fp32 weights with fp16/bf16 matmuls under accelerate's autocast) is good; otherwise its mel moves little (rounding only). Casting the whole model also draws the seeded noise in half precision.",
            "trainer run with the inference dtype vs the training dtype (trainingDtype: float32, autocast-float16 or autocast-bfloat16)",
            "infer/utils_infer.py:191-199 (fp16 on CUDA cc>=7); model/trainer.py:413 (autocast, weights fp32)",
            p => p.Trainer, p => Flip(p, "precision"),
            Fix: "load the model in float32: load_model(..., ) then model.to(torch.float32), or pass dtype to load_checkpoint"),
        new("train-mode", "The model samples in training mode (dropout active)",
            "Upstream's sample() calls self.eval() on both paths, so this only matters for code that bypasses it; dropout makes the output noisy but usually still speech.",
            "trainer run with dropout on vs eval mode",
            "model/cfm.py:103; model/trainer.py:438; model/backbones/dit.py:178",
            p => p.Trainer, p => p.Trainer with { TrainMode = true },
            Fix: "call model.eval() (CFM.sample does) before sampling"),
        new("vocab", "Inference maps characters with a different vocab than training",
            "A different size fails loudly at load; a same-size reorder loads silently and scrambles every token: garbage.",
            "the generation text with the inference vocab vs the training vocab",
            "infer/utils_infer.py:248-256 (default infer/examples/vocab.txt); model/utils.py:122-140",
            p => NewTextControl(p), p => NewTextControl(p) with { VocabPath = p.Infer.VocabPath },
            NeedsGenText, "pass the training vocab: --vocab_file data/<dataset>_<tokenizer>/vocab.txt (infer_cli) / vocab_file= (load_model)"),
        new("pinyin", "convert_char_to_pinyin changes the text the dataset stored raw (or with the earlier converter)",
            "If the dataset held raw strings, the converter's inserted spaces (\"açú car\") put tokens the model never saw in that place; quality drops on such words. A dataset prepared with the earlier converter differs only before non-Latin-1 symbols (\"–\", \"€\", \"•\").",
            "the generation text through convert_char_to_pinyin vs as the dataset stored it",
            "infer/utils_infer.py:483-484; model/dataset.py:133,165; model/utils.py:148-185",
            p => NewTextControl(p), p => NewTextControl(p) with { Text = p.Infer.Text },
            NeedsGenText, "prepare the dataset with upstream's prepare_csv_wavs.py (stores convert_char_to_pinyin output) and retrain, or bypass the converter at inference"),
        new("ema", "Inference loads the EMA weights, the trainer samples the raw ones",
            "After a short fine-tune from a restored EMA step the EMA is still ~ the pretrained model: the EMA treatment says the text badly while raw is good.",
            "trainer run with EMA weights vs raw weights",
            "model/trainer.py:414 (online model); infer/utils_infer.py:209-223,245 (use_ema=True); model/trainer.py:215-232 (EMA step restored)",
            p => p.Trainer, p => Flip(p, "ema"),
            Fix: "load_model(..., use_ema=False) / infer_cli has no switch: load the raw weights in Python; or fine-tune longer / reset the EMA step"),
        new("checkpoint", "Inference loads another checkpoint (an earlier step, the pretrained model)",
            "If the other file is worse, the treatment is bad while the control is good.",
            "trainer run with the inference (or the configured other) checkpoint vs the trained one",
            "infer/infer_cli.py:299-301 (ckpt_file); model/trainer.py:194-213 (which file resumes)",
            p => p.Trainer,
            p => p.Infer.Checkpoint != p.Trainer.Checkpoint
                ? p.Trainer with { Checkpoint = p.Infer.Checkpoint, UseEma = p.Trainer.UseEma || TrainerCheckpoint.IsEmaOnly(p.Infer.Checkpoint) }
                : p.Trainer with { Checkpoint = p.OtherCheckpoint ?? p.Trainer.Checkpoint, UseEma = p.Trainer.UseEma || p.OtherCheckpointIsEmaOnly },
            p => p.Infer.Checkpoint == p.Trainer.Checkpoint && p.OtherCheckpoint is null
                ? "inference uses the trainer's checkpoint and no other is configured (F5PARITY_OTHER_CHECKPOINT)" : null,
            "point inference at the fine-tuned model_<update>.pt, not the pretrained or an early file"),
        new("config", "Inference builds the DiT with other v0/v1 options on the same tensors",
            "F5TTS_Base and F5TTS_v1_Base have identical tensors, so the wrong one loads silently and computes something else: garbage.",
            "trainer run with the inference model config vs the training config",
            "infer/infer_cli.py:187,268-272; model/backbones/dit.py:103-104,123-127; model/modules.py:498-509",
            p => p.Trainer, p => Flip(p, "config"),
            Fix: "pass the config the model was trained with (infer_cli -m F5TTS_Base or -mc <train yaml>)"),
        new("reference-audio", "Inference raises a quiet reference to RMS 0.1 and (CLI/API) clips, trims and pads it",
            "A constant log-mel offset (log(0.1/rms)) on the prompt; preprocess_ref_audio_text cuts a clip over 12 s at a silence or hard at 12 s while ref_text stays whole, which misaligns text and audio; edge trim and 50 ms pad move the frame count the duration estimate uses.",
            "trainer run with the inference reference handling vs the dataset mel of the raw clip",
            "infer/utils_infer.py:279-346 (silence split, 12 s, edge trim, 50 ms), 463-468 (RMS); model/dataset.py:145-161",
            p => p.Trainer, p => Flip(p, "reference-audio"),
            p => p.Trainer.RefMelId is not null
                ? "the reference is given as a mel (a codebook fixture's dataset mel): RMS normalisation, resampling and preprocess_ref_audio_text's clip/trim/pad act on audio and do not apply — not tested"
                : null,
            Fix: "use a reference under 12 s with its exact transcript, at normal loudness"),
        new("ref-text", "The CLI/API flow ends the reference text in \". \"",
            "preprocess_ref_audio_text appends \". \" (and infer_process a \" \"), so the model reads a full stop and two spaces the training rows never had between reference and generated text; usually a short pause, garbage only if \".\" maps to a token the model never learned.",
            "trainer run with the reference text as the CLI flow passes it vs as transcribed",
            "infer/utils_infer.py:369-374 (\". \"), 474-475 (\" \"); model/trainer.py:410-412",
            p => p.Trainer, p => Flip(p, "ref-text"),
            Fix: "end the reference transcript with the punctuation the training transcripts use, or call infer_process directly"),
        new("duration", "Inference estimates the length from UTF-8 bytes and cuts one frame earlier",
            "Wrong length gives rushed or stretched speech, rarely garbage.",
            "trainer run with the byte-ratio duration and L//256 cut vs twice the reference",
            "model/trainer.py:409,417,423; infer/utils_infer.py:479-493,508",
            p => p.Trainer, p => Flip(p, "duration"),
            Fix: "pass fix_duration (seconds, reference + generation) or adjust speed"),
        new("sampler", "Inference samples with other NFE / CFG / sway / EPSS settings",
            "Both paths import 32 / 2.0 / -1.0 from utils_infer; only a user override differs. Too few steps blur, extreme CFG distorts.",
            "trainer run with the inference sampler settings vs the trainer's",
            "model/trainer.py:267; infer/utils_infer.py:35-46; model/cfm.py:190-216; model/utils.py:205-218",
            p => p.Trainer, p => Flip(p, "sampler"),
            Fix: "use nfe_step=32, cfg_strength=2, sway_sampling_coef=-1"),
        new("seed", "The result depends on the noise seed",
            "A healthy model says the text under any seed; a fragile one is good or bad by luck (a single good trainer sample proves little).",
            "trainer run with another seed vs the configured seed",
            "model/cfm.py:196-201 (noise); neither path passes a seed",
            p => p.Trainer, p => p.Trainer with { Seed = p.Trainer.Seed + 1 },
            Fix: "judge the model over several seeds; train longer if quality is luck"),
        new("task", "The trainer's samples re-speak a training clip; inference says a new text",
            "If the model memorised its fine-tuning clips, re-speaking is good and any new text is garbage: no code change fixes that.",
            "the trainer's code asked for the generation text vs the re-spoken transcript (both with the byte-ratio length)",
            "model/trainer.py:409-419 (text doubled, own mel); infer/utils_infer.py:404-405,483-484",
            p => p.Trainer with { Duration = DurationRule.ByteRatio }, p => NewTextControl(p),
            NeedsGenText, "fine-tune on more and more varied data; check with held-out sentences"),
    ];

    public static Hypothesis Get(string id) => All.Single(h => h.Id == id);

    /// <summary>The ids, in catalogue order.</summary>
    public static IReadOnlyList<string> Ids => All.Select(h => h.Id).ToList();
}
