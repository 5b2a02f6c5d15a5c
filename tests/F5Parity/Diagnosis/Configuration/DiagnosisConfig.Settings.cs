namespace F5Parity.Diagnosis.Configuration;

public sealed partial record DiagnosisConfig
{
    /// <summary>(JSON key, environment variable, is a path, meaning) for every setting.</summary>
    public static readonly IReadOnlyList<(string Key, string Variable, bool IsPath, string Meaning)> Settings =
    [
        ("checkpoint", "F5PARITY_CHECKPOINT", true, "fine-tuned checkpoint (.pt trainer checkpoint or .safetensors) the trainer sampled from"),
        ("inferenceCheckpoint", "F5PARITY_INFER_CHECKPOINT", true, "checkpoint inference loads (default: checkpoint)"),
        ("otherCheckpoint", "F5PARITY_OTHER_CHECKPOINT", true, "another checkpoint for the `checkpoint` hypothesis (pretrained or an earlier step)"),
        ("vocab", "F5PARITY_VOCAB", true, "vocab.txt used in training"),
        ("inferenceVocab", "F5PARITY_INFER_VOCAB", true, "vocab.txt inference uses (default: vocab)"),
        ("modelConfig", "F5PARITY_MODEL_CONFIG", true, "training model config: F5TTS_v1_Base (v1), F5TTS_Base (v0), fixture-v1 / fixture-v0 (the tiny DiT of fixtures/models) or a model_config.json"),
        ("inferenceModelConfig", "F5PARITY_INFER_MODEL_CONFIG", true, "model config inference uses (default: modelConfig)"),
        ("trainingText", "F5PARITY_TRAINING_TEXT", false, "how the dataset stored its text: pinyin (convert_char_to_pinyin, upstream's prepare scripts), pinyin-legacy (prepared with the earlier convert_char_to_pinyin of older releases and forks) or raw"),
        ("melSpecType", "F5PARITY_MEL_SPEC_TYPE", false, "training mel front end: vocos (default) or bigvgan (the train yaml's model.mel_spec.mel_spec_type)"),
        ("inferenceMelSpecType", "F5PARITY_INFER_MEL_SPEC_TYPE", false, "mel front end inference uses (load_model's mel_spec_type, infer_cli's --vocoder_name; default: melSpecType)"),
        ("refAudio", "F5PARITY_REF_AUDIO", true, "reference clip (WAV), a training clip (not used with codebook)"),
        ("codebook", "F5PARITY_CODEBOOK", false, "codebook-language fixture: the language it speaks (L0 pretrained, L1 fine-tune, see fixtures/README.md); the reference is then that language's mel of refText and token-accuracy is available"),
        ("codebookVocab", "F5PARITY_CODEBOOK_VOCAB", true, "the vocab whose order defines the codebook language (default: vocab); set it when vocab is a candidate under test"),
        ("refText", "F5PARITY_REF_TEXT", false, "its transcript"),
        ("genText", "F5PARITY_GEN_TEXT", false, "text inference generates"),
        ("groundTruth", "F5PARITY_GROUND_TRUTH", true, "folder with transcripts.tsv + WAVs of known texts (mel-dtw metric)"),
        ("vocoder", "F5PARITY_VOCODER", true, "Vocos folder (config.yaml + weights) or griffin-lim"),
        ("whisperModel", "F5PARITY_WHISPER_MODEL", true, "whisper.cpp ggml model; enables the whisper metric"),
        ("whisperLanguage", "F5PARITY_WHISPER_LANGUAGE", false, "Whisper language code (pt) or auto"),
        ("foldAccents", "F5PARITY_FOLD_ACCENTS", false, "fold accents before comparing transcripts (true/false)"),
        ("metric", "F5PARITY_METRIC", false, "primary metric: auto (whisper if configured, else mel-dtw), whisper, mel-dtw, token-accuracy"),
        ("device", "F5PARITY_DEVICE", false, "cpu or cuda"),
        ("dtype", "F5PARITY_DTYPE", false, "inference dtype: auto (upstream's rule: float16 on CUDA, float32 on CPU), float16, float32, bfloat16"),
        ("trainingDtype", "F5PARITY_TRAIN_DTYPE", false, "what the trainer's run sampled under: float32, or autocast-bfloat16 / autocast-float16 for a mixed-precision run (accelerate mixed_precision bf16 -> autocast-bfloat16, fp16 -> autocast-float16; float32 weights under torch.autocast); float16/bfloat16 would cast the weights, which the trainer never does"),
        ("nfe", "F5PARITY_NFE", false, "trainer NFE steps (upstream 32)"),
        ("cfg", "F5PARITY_CFG", false, "trainer CFG strength (2.0)"),
        ("sway", "F5PARITY_SWAY", false, "trainer sway coefficient (-1.0; none = off)"),
        ("inferenceNfe", "F5PARITY_INFER_NFE", false, "inference NFE (default: nfe)"),
        ("inferenceCfg", "F5PARITY_INFER_CFG", false, "inference CFG (default: cfg)"),
        ("inferenceSway", "F5PARITY_INFER_SWAY", false, "inference sway (default: sway)"),
        ("seed", "F5PARITY_SEED", false, "torch.manual_seed before every run"),
        ("seeds", "F5PARITY_SEEDS", false, "noise draws per run (seed, seed + 1000, …; default 1): each score is their mean and a run is good when most draws are — 3 or more on a GPU"),
        ("inferenceFlow", "F5PARITY_INFER_FLOW", false, "how inference was called: cli (infer_cli, api.F5TTS.infer, Gradio: preprocess_ref_audio_text clips/trims/pads the reference and ends ref_text in \". \") or direct (infer_process called by hand)"),
        ("out", "F5PARITY_OUT", true, "output folder of the report bundle"),
    ];
}
