using static TorchSharp.torch;

namespace F5Parity.Pipelines;

/// <summary>
/// The knobs of upstream's trainer sample logging (model/trainer.py, the <c>log_samples</c> block), with the values
/// it uses: NFE, CFG and sway imported from utils_infer (<see cref="SamplerSettings.Upstream"/>), duration twice the reference, no seed.
/// </summary>
public sealed record TrainerSampleOptions
{
    public int NfeStep { get; init; } = SamplerSettings.Upstream.NfeStep;
    public double CfgStrength { get; init; } = SamplerSettings.Upstream.CfgStrength;
    public double? SwaySamplingCoef { get; init; } = SamplerSettings.Upstream.SwaySamplingCoef;
    public bool UseEpss { get; init; } = true;
    /// <summary>Duration = factor x reference frames (trainer: 2, the text is doubled too).</summary>
    public long DurationFactor { get; init; } = 2;
    /// <summary>Override the duration in frames (for the duration hypothesis).</summary>
    public long? DurationFrames { get; init; }
    /// <summary><c>torch.manual_seed</c> right before sample (the trainer's generator state is whatever training left).</summary>
    public long? ManualSeed { get; init; }
    /// <summary>
    /// Tokens sampled after the reference tokens and " "; null = the reference tokens again, as the trainer does.
    /// Set by the diagnosis to ask the trainer's code for a new text (the task hypothesis).
    /// </summary>
    public IReadOnlyList<string>? GenTokens { get; init; }
    /// <summary>Sample with dropout active (see <see cref="Model.SampleOptions.TrainMode"/>).</summary>
    public bool TrainMode { get; init; }
    /// <summary>
    /// The trainer's <c>accelerator.autocast()</c>: float16 or bfloat16 when training ran with accelerate mixed precision
    /// (fp16 / bf16), null for a float32 run (accelerate then gives a null context). The scope covers what upstream's
    /// <c>with</c> block covers: the sample call and both vocoder decodes.
    /// </summary>
    public ScalarType? Autocast { get; init; }

    // Inference-side knobs the diagnosis flips on the trainer's code (the duration hypothesis, the reference-audio
    // hypothesis); upstream's trainer uses none of them. Applied after the logged block, outside its autocast.

    /// <summary>Where the generated part starts: the mel length (trainer) or <c>L // hop</c> of <see cref="ReferenceSamples"/> (infer).</summary>
    public OutputCut Cut { get; init; } = OutputCut.MelFrames;
    /// <summary>The reference clip's length in samples at the mel's rate (needed by <see cref="OutputCut.HopFloor"/>).</summary>
    public long? ReferenceSamples { get; init; }
    /// <summary>When set, the reference's RMS before normalisation: the output is scaled back as infer_process does.</summary>
    public float? RestoreRmsFrom { get; init; }
    /// <summary>The RMS a quiet reference was raised to (utils_infer.py:41).</summary>
    public double TargetRms { get; init; } = 0.1;
}
