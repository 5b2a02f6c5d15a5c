using F5Parity.Checkpoints;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Pipelines;

namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// Every theory, declared once. Each holds the <see cref="PathDifference"/> it is about (and cites upstream through
/// it). Unless a hypothesis says otherwise its control is the trainer's run and its treatment flips exactly that
/// difference to the inference side's value, so a difference that is the same on both configured paths gives a
/// treatment equal to its control (outcome <c>no-effect</c>, sampled once).
/// Text-dependent theories (pinyin, vocab) are measured on the generation text, because the re-spoken training
/// transcript cannot show them. Probes that are not path differences (train-mode, seed) flip a value neither path uses.
/// </summary>
public static class HypothesisCatalogue
{
    /// <summary>The trainer's run asked for the generation text (length by the byte-ratio rule, so the length follows the text).</summary>
    public static RunSpec NewTextControl(DiagnosisPaths p) => p.Trainer with { GenText = p.Infer.GenText, Duration = DurationRule.ByteRatio };

    static string? NeedsGenText(DiagnosisPaths p) => p.Infer.GenText is null ? "no generation text configured (F5PARITY_GEN_TEXT)" : null;

    static string? NeedsAudioReference(DiagnosisPaths p, string what) => p.Trainer.RefMelId is not null
        ? $"the reference is given as a mel (a codebook fixture's dataset mel): {what} act on audio and do not apply — not tested"
        : null;

    /// <summary>A theory whose control is the trainer's run and whose treatment flips <paramref name="d"/> onto it.</summary>
    static Hypothesis Flips(PathDifference d, string title, string predicts, string measures, string fix,
        Func<DiagnosisPaths, string?>? notRun = null) =>
        new(d.Id, title, predicts, measures, d.Upstream, p => p.Trainer, p => d.Apply(p.Trainer, p.Infer), notRun, fix, d);

    /// <summary>A theory measured on the generation text: the trainer's run asked for it, with <paramref name="d"/> flipped.</summary>
    static Hypothesis FlipsOnNewText(PathDifference d, string title, string predicts, string measures, string fix) =>
        new(d.Id, title, predicts, measures, d.Upstream, NewTextControl, p => d.Apply(NewTextControl(p), p.Infer), NeedsGenText, fix, d);

    /// <summary>A probe: the trainer's run with a value neither configured path uses (it can be bad without being the cause).</summary>
    static Hypothesis Probes(PathDifference d, string title, string predicts, string measures, string fix, Func<RunSpec, RunSpec> probe) =>
        new(d.Id, title, predicts, measures, d.Upstream, p => p.Trainer, p => probe(p.Trainer), null, fix, d);

    public static readonly IReadOnlyList<Hypothesis> All =
    [
        Flips(PathDifference.Precision, "Inference runs the whole model in fp16 (bf16), the trainer in fp32 or under autocast",
            "If implicated, the fp16 treatment is bad while the trainer's control (fp32, or fp32 weights with fp16/bf16 matmuls under accelerate's autocast) is good; otherwise its mel moves little (rounding only). Casting the whole model also draws the seeded noise in half precision.",
            "trainer run with the inference dtype vs the training dtype (trainingDtype: float32, autocast-float16 or autocast-bfloat16)",
            "load the model in float32: load_model(..., ) then model.to(torch.float32), or pass dtype to load_checkpoint"),
        Probes(PathDifference.TrainMode, "The model samples in training mode (dropout active)",
            "Upstream's sample() calls self.eval() on both paths, so this only matters for code that bypasses it; dropout makes the output noisy but usually still speech.",
            "trainer run with dropout on vs eval mode",
            "call model.eval() (CFM.sample does) before sampling", s => s with { TrainMode = true }),
        FlipsOnNewText(PathDifference.Vocab, "Inference maps characters with a different vocab than training",
            "A different size fails loudly at load; a same-size reorder loads silently and scrambles every token: garbage.",
            "the generation text with the inference vocab vs the training vocab",
            "pass the training vocab: --vocab_file data/<dataset>_<tokenizer>/vocab.txt (infer_cli) / vocab_file= (load_model)"),
        FlipsOnNewText(PathDifference.Pinyin, "convert_char_to_pinyin changes the text the dataset stored raw (or with the earlier converter)",
            "If the dataset held raw strings, the converter's inserted spaces (\"açú car\") put tokens the model never saw in that place; quality drops on such words. A dataset prepared with the earlier converter differs only before non-Latin-1 symbols (\"–\", \"€\", \"•\").",
            "the generation text through convert_char_to_pinyin vs as the dataset stored it",
            "prepare the dataset with upstream's prepare_csv_wavs.py (stores convert_char_to_pinyin output) and retrain, or bypass the converter at inference"),
        Flips(PathDifference.Ema, "Inference loads the EMA weights, the trainer samples the raw ones",
            "After a short fine-tune from a restored EMA step the EMA is still ~ the pretrained model: the EMA treatment says the text badly while raw is good.",
            "trainer run with EMA weights vs raw weights",
            "load_model(..., use_ema=False) / infer_cli has no switch: load the raw weights in Python; or fine-tune longer / reset the EMA step"),
        new("checkpoint", "Inference loads another checkpoint (an earlier step, the pretrained model)",
            "If the other file is worse, the treatment is bad while the control is good.",
            "trainer run with the inference (or the configured other) checkpoint vs the trained one",
            PathDifference.Checkpoint.Upstream,
            p => p.Trainer,
            p => p.Infer.Checkpoint != p.Trainer.Checkpoint
                ? p.Trainer with { Checkpoint = p.Infer.Checkpoint, UseEma = p.Trainer.UseEma || TrainerCheckpoint.IsEmaOnly(p.Infer.Checkpoint) }
                : p.Trainer with { Checkpoint = p.OtherCheckpoint ?? p.Trainer.Checkpoint, UseEma = p.Trainer.UseEma || p.OtherCheckpointIsEmaOnly },
            p => p.Infer.Checkpoint == p.Trainer.Checkpoint && p.OtherCheckpoint is null
                ? "inference uses the trainer's checkpoint and no other is configured (F5PARITY_OTHER_CHECKPOINT)" : null,
            "point inference at the fine-tuned model_<update>.pt, not the pretrained or an early file",
            PathDifference.Checkpoint),
        Flips(PathDifference.Config, "Inference builds the DiT with other v0/v1 options on the same tensors",
            "F5TTS_Base and F5TTS_v1_Base have identical tensors, so the wrong one loads silently and computes something else: garbage.",
            "trainer run with the inference model config vs the training config",
            "pass the config the model was trained with (infer_cli -m F5TTS_Base or -mc <train yaml>)"),
        Flips(PathDifference.MelType, "Inference computes the reference's mel with another front end (mel_spec_type) than training did",
            "vocos (torchaudio, HTK filterbank, centred STFT) and bigvgan (librosa's slaney filterbank, its own padding) mels differ in scale and frame count; a model prompted with the other kind hears something it never saw: garbage. load_model defaults to vocos and infer_cli takes it from --vocoder_name, so a bigvgan-trained model loaded with the defaults gets vocos mels.",
            "trainer run with the inference mel front end vs the training one (the output is decoded with the configured vocoder: the port has no BigVGAN, which upstream would also switch to)",
            "pass the mel_spec_type the model was trained with (its yaml's model.mel_spec.mel_spec_type): infer_cli --vocoder_name bigvgan / load_model(..., mel_spec_type=\"bigvgan\")",
            p => NeedsAudioReference(p, "the mel front ends (vocos, bigvgan)")),
        Flips(PathDifference.ReferenceAudio, "Inference raises a quiet reference to RMS 0.1 and (CLI/API) clips, trims and pads it",
            "A constant log-mel offset (log(0.1/rms)) on the prompt; preprocess_ref_audio_text cuts a clip over 12 s at a silence or hard at 12 s while ref_text stays whole, which misaligns text and audio; edge trim and 50 ms pad move the frame count the duration estimate uses.",
            "trainer run with the inference reference handling vs the dataset mel of the raw clip",
            "use a reference under 12 s with its exact transcript, at normal loudness",
            p => NeedsAudioReference(p, "RMS normalisation, resampling and preprocess_ref_audio_text's clip/trim/pad")),
        Flips(PathDifference.RefText, "The CLI/API flow ends the reference text in \". \"",
            "preprocess_ref_audio_text appends \". \" (and infer_process a \" \"), so the model reads a full stop and two spaces the training rows never had between reference and generated text; usually a short pause, garbage only if \".\" maps to a token the model never learned.",
            "trainer run with the reference text as the CLI flow passes it vs as transcribed",
            "end the reference transcript with the punctuation the training transcripts use, or call infer_process directly"),
        Flips(PathDifference.Duration, "Inference estimates the length from UTF-8 bytes and cuts one frame earlier",
            "Wrong length gives rushed or stretched speech, rarely garbage.",
            "trainer run with the byte-ratio duration and L//256 cut vs twice the reference",
            "pass fix_duration (seconds, reference + generation) or adjust speed"),
        Flips(PathDifference.Sampler, "Inference samples with other NFE / CFG / sway / EPSS settings",
            "Both paths import 32 / 2.0 / -1.0 from utils_infer; only a user override differs. Too few steps blur, extreme CFG distorts.",
            "trainer run with the inference sampler settings vs the trainer's",
            "use nfe_step=32, cfg_strength=2, sway_sampling_coef=-1"),
        Probes(PathDifference.Seed, "The result depends on the noise seed",
            "A healthy model says the text under any seed; a fragile one is good or bad by luck (a single good trainer sample proves little).",
            "trainer run with another seed vs the configured seed",
            "judge the model over several seeds; train longer if quality is luck", s => s with { Seed = s.Seed + 1 }),
        new("task", "The trainer's samples re-speak a training clip; inference says a new text",
            "If the model memorised its fine-tuning clips, re-speaking is good and any new text is garbage: no code change fixes that.",
            "the trainer's code asked for the generation text vs the re-spoken transcript (both with the byte-ratio length)",
            PathDifference.Task.Upstream,
            p => p.Trainer with { Duration = DurationRule.ByteRatio }, NewTextControl,
            NeedsGenText, "fine-tune on more and more varied data; check with held-out sentences", PathDifference.Task),
    ];

    public static Hypothesis Get(string id) => All.SingleOrDefault(h => h.Id == id)
        ?? throw new ArgumentException($"no hypothesis '{id}' (known: {string.Join(", ", All.Select(h => h.Id))})", nameof(id));

    /// <summary>The ids, in catalogue order.</summary>
    public static IReadOnlyList<string> Ids => All.Select(h => h.Id).ToList();
}
