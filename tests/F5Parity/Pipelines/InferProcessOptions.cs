using static TorchSharp.torch;

namespace F5Parity.Pipelines;

/// <summary>How <c>ref_audio_len</c> (the frame where the generated part starts) is computed.</summary>
public enum OutputCut
{
    /// <summary>infer_process: <c>L // hop_length</c>, one frame fewer than the condition mel has (utils_infer.py).</summary>
    HopFloor,
    /// <summary>trainer: the condition mel's own length, <c>1 + L // hop_length</c> (center=True).</summary>
    MelFrames,
}

/// <summary>
/// Every knob of upstream's inference path (<c>infer_process</c> → <c>infer_batch_process</c>), with upstream's
/// values as defaults. Each can be flipped alone, which is how the hypotheses and the ladder mix the two paths.
/// </summary>
public sealed record InferProcessOptions
{
    public double TargetRms { get; init; } = 0.1;
    /// <summary>Raise a quiet reference to <see cref="TargetRms"/> before resampling (utils_infer.py).</summary>
    public bool NormalizeReferenceRms { get; init; } = true;
    /// <summary>Scale the output by rms / target_rms when the reference was quiet.</summary>
    public bool RestoreOutputRms { get; init; } = true;
    public int TargetSampleRate { get; init; } = 24_000;
    public int HopLength { get; init; } = 256;
    /// <summary>Apply <c>convert_char_to_pinyin</c> to ref_text + gen_text (inference always does).</summary>
    public bool ConvertCharToPinyin { get; init; } = true;
    /// <summary>Which <c>convert_char_to_pinyin</c> (the commit's, or the earlier one a mixed set-up may run).</summary>
    public Text.CharToPinyin.Version CharToPinyinVersion { get; init; } = Text.CharToPinyin.Version.Current;
    /// <summary>Append " " to ref_text when its last character is one UTF-8 byte.</summary>
    public bool SpaceAfterRefText { get; init; } = true;
    public int NfeStep { get; init; } = SamplerSettings.Upstream.NfeStep;
    public double CfgStrength { get; init; } = SamplerSettings.Upstream.CfgStrength;
    public double? SwaySamplingCoef { get; init; } = SamplerSettings.Upstream.SwaySamplingCoef;
    public bool UseEpss { get; init; } = true;
    public double Speed { get; init; } = 1.0;
    /// <summary>Use speed 0.3 for gen texts shorter than 10 UTF-8 bytes (utils_infer.py).</summary>
    public bool SlowShortTexts { get; init; } = true;
    /// <summary>Total seconds to generate (ref + gen) instead of the byte-ratio estimate.</summary>
    public double? FixDuration { get; init; }
    /// <summary>Override the estimate with an explicit frame count (for the duration hypothesis); null = upstream rule.</summary>
    public long? DurationFrames { get; init; }
    public OutputCut Cut { get; init; } = OutputCut.HopFloor;
    /// <summary>Split gen_text into chunks of max_chars bytes; off = one chunk.</summary>
    public bool ChunkText { get; init; } = true;
    public double CrossFadeDuration { get; init; } = 0.15;
    /// <summary><c>torch.manual_seed</c> right before each chunk's sample call (upstream's CLI seeds nothing).</summary>
    public long? ManualSeed { get; init; }
    /// <summary>The <c>seed</c> argument of CFM.sample (re-seeds before each item's noise).</summary>
    public long? SeedArgument { get; init; }
    /// <summary>Sample with dropout active (see <see cref="Model.SampleOptions.TrainMode"/>); upstream never does.</summary>
    public bool TrainMode { get; init; }
    /// <summary>
    /// Sample and vocode each chunk inside an autocast scope of this dtype (float16 / bfloat16), the way upstream's trainer
    /// block runs (<see cref="TrainerSampleOptions.Autocast"/>); upstream's infer_process never does (null).
    /// </summary>
    public ScalarType? Autocast { get; init; }
}
