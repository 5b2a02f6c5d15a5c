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
/// Each property is followed by its <see cref="Knob"/>: the one declaration of its name and value names (for
/// <see cref="Describe"/>, report.json and report.md) and of the <see cref="PathDifference"/> that flips it, so a new
/// knob is declared here and read by its pipeline's options builder in <see cref="Runner"/>.
/// Upstream file:line references are to SWivid/F5-TTS @ 2ae2c9bd, src/f5_tts/ (see UPSTREAM-PATHS.md).
/// </summary>
public sealed record RunSpec
{
    // Static initialisers run in text order: the list exists before the first Declare below adds to it.
    static readonly List<Knob> _knobs = [];

    static Knob Declare(string name, Func<RunSpec, object?> read, string? difference, Func<RunSpec, RunSpec, RunSpec>? take,
        KnobBrief brief = KnobBrief.Value)
    {
        var knob = new Knob(name, read, difference, take, brief);
        _knobs.Add(knob);
        return knob;
    }

    /// <summary>Every knob, in declaration order (the order of report.json's <c>spec</c> and of <see cref="Describe"/>).</summary>
    public static IReadOnlyList<Knob> Knobs => _knobs;

    /// <summary>Trainer log-sample code or infer_process code.</summary>
    public SamplingCode Code { get; init; } = SamplingCode.Trainer;
    public static readonly Knob CodeKnob = Declare("code", s => s.Code == SamplingCode.Trainer ? "trainer" : "infer", "code",
        (f, t) => f with { Code = t.Code });

    /// <summary>The checkpoint file (.pt trainer checkpoint or .safetensors).</summary>
    public required string Checkpoint { get; init; }
    public static readonly Knob CheckpointKnob = Declare("checkpoint", s => s.Checkpoint, "checkpoint",
        (f, t) => f with { Checkpoint = t.Checkpoint }, KnobBrief.FileName);

    /// <summary>EMA weights (inference default, utils_infer.py:245) or the raw/online weights (trainer.py:414).</summary>
    public bool UseEma { get; init; }
    public static readonly Knob WeightsKnob = Declare("weights", s => s.UseEma ? "ema" : "raw", "ema", (f, t) => f with { UseEma = t.UseEma });

    /// <summary>The DiT configuration the weights are loaded into.</summary>
    public required ModelConfigRef ModelConfig { get; init; }
    public static readonly Knob ModelConfigKnob = Declare("model_config", s => s.ModelConfig.Name, "config",
        (f, t) => f with { ModelConfig = t.ModelConfig }, KnobBrief.FileName);
    public static readonly Knob ModelConfigOptionsKnob = Declare("model_config_options", s => s.ModelConfig.ComputeOptions, null, null);

    /// <summary>
    /// The mel front end (upstream's <c>mel_spec_type</c>): "vocos" or "bigvgan". It computes the reference's mel on
    /// both paths (the dataset's mel in training, <c>CFM.sample</c>'s own on a wave condition at inference).
    /// </summary>
    public string MelSpecType { get; init; } = "vocos";
    public static readonly Knob MelSpecTypeKnob = Declare("mel_spec_type", s => s.MelSpecType, "mel-type", (f, t) => f with { MelSpecType = t.MelSpecType });

    /// <summary>The vocab.txt that maps tokens to ids.</summary>
    public required string VocabPath { get; init; }
    public static readonly Knob VocabKnob = Declare("vocab", s => s.VocabPath, "vocab", (f, t) => f with { VocabPath = t.VocabPath }, KnobBrief.FileName);

    /// <summary>Raw code points (a dataset holding strings) or convert_char_to_pinyin.</summary>
    public TextProcessing Text { get; init; } = TextProcessing.CharToPinyin;
    public static readonly Knob TextKnob = Declare("text_processing", s => s.Text.ToSchemaName(), "pinyin", (f, t) => f with { Text = t.Text });

    /// <summary>The reference clip (any rate; mono-mixed and resampled to 24 kHz like both paths do).</summary>
    public required string RefAudioPath { get; init; }
    public static readonly Knob RefAudioKnob = Declare("ref_audio", s => s.RefMelId is null ? s.RefAudioPath : null, null,
        (f, t) => f with { RefAudioPath = t.RefAudioPath }, KnobBrief.FileName);

    /// <summary>
    /// When set, the reference is this log-mel registered with <see cref="InputFiles.RegisterReferenceMel"/> (a dataset
    /// mel, a codebook fixture's rendered sentence) instead of <see cref="RefAudioPath"/>: both paths condition on it
    /// as is, and the audio knobs (<see cref="NormalizeRms"/>, <see cref="PreprocessRefAudio"/>, <see cref="MelSpecType"/>,
    /// resampling, the L//256 cut) do not apply.
    /// </summary>
    public string? RefMelId { get; init; }
    public static readonly Knob RefMelKnob = Declare("ref_mel", s => s.RefMelId, null, (f, t) => f with { RefMelId = t.RefMelId });

    /// <summary>The reference transcript.</summary>
    public required string RefText { get; init; }
    public static readonly Knob RefTextKnob = Declare("ref_text", s => s.RefText, null, (f, t) => f with { RefText = t.RefText }, KnobBrief.Hidden);

    /// <summary>The text to generate after the reference; null = the reference transcript again (the trainer's task).</summary>
    public string? GenText { get; init; }
    public static readonly Knob GenTextKnob = Declare("gen_text", s => s.GenText, "task", (f, t) => f with { GenText = t.GenText }, KnobBrief.Hidden);
    public static readonly Knob TaskKnob = Declare("task", s => s.IsRespeak ? "respeak" : "new-text", null, null);
    public static readonly Knob TargetTextKnob = Declare("target_text", s => s.TargetText, null, null, KnobBrief.Hidden);

    /// <summary>Raise a reference quieter than RMS 0.1 to 0.1 before resampling (utils_infer.py:463-465), and scale the output back.</summary>
    public bool NormalizeRms { get; init; }
    public static readonly Knob NormalizeRmsKnob = Declare("normalize_rms", s => s.NormalizeRms, "reference-audio", (f, t) => f with { NormalizeRms = t.NormalizeRms });

    /// <summary>
    /// The reference WAV through the audio half of <c>preprocess_ref_audio_text</c> (utils_infer.py:298-378: silence
    /// split and clip to 12 s, edge trim at −42 dBFS, 50 ms of silence), as the CLI, the API and Gradio do before
    /// <c>infer_process</c>; false = the clip as the dataset holds it (and as a direct <c>infer_process</c> call gets it).
    /// </summary>
    public bool PreprocessRefAudio { get; init; }
    public static readonly Knob PreprocessRefAudioKnob = Declare("preprocess_ref_audio", s => s.PreprocessRefAudio, "reference-audio",
        (f, t) => f with { PreprocessRefAudio = t.PreprocessRefAudio });

    /// <summary>The reference text made to end in ". " (<c>preprocess_ref_audio_text</c>, utils_infer.py:369-374); it conditions the reference part only.</summary>
    public bool PreprocessRefText { get; init; }
    public static readonly Knob PreprocessRefTextKnob = Declare("preprocess_ref_text", s => s.PreprocessRefText, "ref-text",
        (f, t) => f with { PreprocessRefText = t.PreprocessRefText });

    /// <summary>Total frames: twice the reference (trainer) or the byte-ratio estimate (infer).</summary>
    public DurationRule Duration { get; init; } = DurationRule.TwiceReference;
    public static readonly Knob DurationKnob = Declare("duration_rule", s => s.Duration == DurationRule.TwiceReference ? "twice-reference" : "byte-ratio",
        "duration", (f, t) => f with { Duration = t.Duration });

    /// <summary>Where the generated part starts: the mel length (trainer) or <c>L // 256</c> (infer, one frame earlier).</summary>
    public OutputCut Cut { get; init; } = OutputCut.MelFrames;
    public static readonly Knob CutKnob = Declare("cut", s => s.Cut == OutputCut.MelFrames ? "mel-frames" : "hop-floor", "duration", (f, t) => f with { Cut = t.Cut });

    public int NfeStep { get; init; } = SamplerSettings.Upstream.NfeStep;
    public static readonly Knob NfeKnob = Declare("nfe_step", s => s.NfeStep, "sampler", (f, t) => f with { NfeStep = t.NfeStep });
    public double CfgStrength { get; init; } = SamplerSettings.Upstream.CfgStrength;
    public static readonly Knob CfgKnob = Declare("cfg_strength", s => s.CfgStrength, "sampler", (f, t) => f with { CfgStrength = t.CfgStrength });
    public double? SwaySamplingCoef { get; init; } = SamplerSettings.Upstream.SwaySamplingCoef;
    public static readonly Knob SwayKnob = Declare("sway_sampling_coef", s => s.SwaySamplingCoef, "sampler", (f, t) => f with { SwaySamplingCoef = t.SwaySamplingCoef });
    public bool UseEpss { get; init; } = SamplerSettings.Upstream.UseEpss;
    public static readonly Knob EpssKnob = Declare("use_epss", s => s.UseEpss, "sampler", (f, t) => f with { UseEpss = t.UseEpss });

    /// <summary><c>torch.manual_seed</c> right before sampling (neither upstream path seeds; the diagnosis must, to compare).</summary>
    public long Seed { get; init; } = 42;
    public static readonly Knob SeedKnob = Declare("seed", s => s.Seed, "seed", (f, t) => f with { Seed = t.Seed });

    /// <summary>The dtype of the whole model.</summary>
    public Precision Precision { get; init; } = Precision.Float32;
    public static readonly Knob DtypeKnob = Declare("dtype", s => s.Precision.ToName(), "precision", (f, t) => f with { Precision = t.Precision });

    /// <summary>Sample with dropout active instead of eval mode (both upstream paths sample in eval mode, cfm.py:103).</summary>
    public bool TrainMode { get; init; }
    public static readonly Knob ModeKnob = Declare("mode", s => s.TrainMode ? "train" : "eval", "train-mode", (f, t) => f with { TrainMode = t.TrainMode });

    /// <summary>The text the generated part should say.</summary>
    public string TargetText => GenText ?? RefText;

    /// <summary>True when the run re-speaks the reference transcript (what the trainer's samples do).</summary>
    public bool IsRespeak => GenText is null;

    /// <summary>One line naming every knob (but the texts) with the value names report.json uses; a value with spaces is quoted.</summary>
    public string Describe() =>
        string.Join(" ", Knobs.Select(k => (k.Name, Text: k.Text(this))).Where(k => k.Text is not null)
            .Select(k => k.Text!.Contains(' ') ? $"{k.Name}=\"{k.Text}\"" : $"{k.Name}={k.Text}"));
}
