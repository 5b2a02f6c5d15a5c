using F5Parity.Checkpoints;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Pipelines;

namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// One sampling run described completely: whose code samples, which weights of which checkpoint under which model
/// config and vocab, how the text and the reference are processed, how long the output is and where it is cut, the
/// sampler settings, the seed, the dtype and the module mode. Two specs that are equal produce the same output (the
/// <see cref="Runner"/> caches on that), and a hypothesis is a pure function from one spec to another.
/// Upstream file:line references are to SWivid/F5-TTS @ 2ae2c9bd, src/f5_tts/ (see UPSTREAM-PATHS.md).
/// </summary>
public sealed record RunSpec
{
    /// <summary>Trainer log-sample code or infer_process code.</summary>
    public SamplingCode Code { get; init; } = SamplingCode.Trainer;

    /// <summary>The checkpoint file (.pt trainer checkpoint or .safetensors).</summary>
    public required string Checkpoint { get; init; }

    /// <summary>EMA weights (inference default, utils_infer.py:245) or the raw/online weights (trainer.py:414).</summary>
    public bool UseEma { get; init; }

    /// <summary>The DiT configuration the weights are loaded into.</summary>
    public required ModelConfigRef ModelConfig { get; init; }

    /// <summary>The vocab.txt that maps tokens to ids.</summary>
    public required string VocabPath { get; init; }

    /// <summary>Raw code points (a dataset holding strings) or convert_char_to_pinyin.</summary>
    public TextProcessing Text { get; init; } = TextProcessing.CharToPinyin;

    /// <summary>The reference clip (any rate; mono-mixed and resampled to 24 kHz like both paths do).</summary>
    public required string RefAudioPath { get; init; }

    /// <summary>
    /// When set, the reference is this log-mel registered with <see cref="Runner.RegisterReferenceMel"/> (a dataset
    /// mel, a codebook fixture's rendered sentence) instead of <see cref="RefAudioPath"/>: both paths condition on it
    /// as is, and the audio knobs (<see cref="NormalizeRms"/>, <see cref="PreprocessRefAudio"/>, resampling, the L//256 cut)
    /// do not apply.
    /// </summary>
    public string? RefMelId { get; init; }

    /// <summary>The reference transcript.</summary>
    public required string RefText { get; init; }

    /// <summary>The text to generate after the reference; null = the reference transcript again (the trainer's task).</summary>
    public string? GenText { get; init; }

    /// <summary>Raise a reference quieter than RMS 0.1 to 0.1 before resampling (utils_infer.py:463-465), and scale the output back.</summary>
    public bool NormalizeRms { get; init; }

    /// <summary>
    /// The reference WAV through the audio half of <c>preprocess_ref_audio_text</c> (utils_infer.py:298-378: silence
    /// split and clip to 12 s, edge trim at −42 dBFS, 50 ms of silence), as the CLI, the API and Gradio do before
    /// <c>infer_process</c>; false = the clip as the dataset holds it (and as a direct <c>infer_process</c> call gets it).
    /// </summary>
    public bool PreprocessRefAudio { get; init; }

    /// <summary>The reference text made to end in ". " (<c>preprocess_ref_audio_text</c>, utils_infer.py:369-374); it conditions the reference part only.</summary>
    public bool PreprocessRefText { get; init; }

    /// <summary>Total frames: twice the reference (trainer) or the byte-ratio estimate (infer).</summary>
    public DurationRule Duration { get; init; } = DurationRule.TwiceReference;

    /// <summary>Where the generated part starts: the mel length (trainer) or <c>L // 256</c> (infer, one frame earlier).</summary>
    public OutputCut Cut { get; init; } = OutputCut.MelFrames;

    public int NfeStep { get; init; } = SamplerSettings.Upstream.NfeStep;
    public double CfgStrength { get; init; } = SamplerSettings.Upstream.CfgStrength;
    public double? SwaySamplingCoef { get; init; } = SamplerSettings.Upstream.SwaySamplingCoef;
    public bool UseEpss { get; init; } = SamplerSettings.Upstream.UseEpss;

    /// <summary><c>torch.manual_seed</c> right before sampling (neither upstream path seeds; the diagnosis must, to compare).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>The dtype of the whole model.</summary>
    public Precision Precision { get; init; } = Precision.Float32;

    /// <summary>Sample with dropout active instead of eval mode (both upstream paths sample in eval mode, cfm.py:103).</summary>
    public bool TrainMode { get; init; }

    /// <summary>The text the generated part should say.</summary>
    public string TargetText => GenText ?? RefText;

    /// <summary>True when the run re-speaks the reference transcript (what the trainer's samples do).</summary>
    public bool IsRespeak => GenText is null;

    /// <summary>One line naming every knob, for reports and cache keys.</summary>
    public string Describe() =>
        $"code={Code.ToString().ToLowerInvariant()} weights={(UseEma ? "ema" : "raw")} ckpt={StaticChecks.Short(Checkpoint)} " +
        $"config={ModelConfig} vocab={System.IO.Path.GetFileName(VocabPath)} text={Text.ToName()} " +
        $"ref={(RefMelId is null ? "audio" : "mel")} task={(IsRespeak ? "respeak" : "new-text")} rms={(NormalizeRms ? "normalised" : "as-is")} ref-audio={(PreprocessRefAudio ? "preprocessed" : "as-is")} ref-text={(PreprocessRefText ? "dot-space" : "as-is")} " +
        $"duration={(Duration == DurationRule.TwiceReference ? "2x" : "byte-ratio")} cut={(Cut == OutputCut.MelFrames ? "mel-frames" : "hop-floor")} " +
        $"nfe={NfeStep} cfg={CfgStrength} sway={(SwaySamplingCoef?.ToString() ?? "none")} epss={UseEpss} seed={Seed} dtype={Precision.ToName()} mode={(TrainMode ? "train" : "eval")}";
}
