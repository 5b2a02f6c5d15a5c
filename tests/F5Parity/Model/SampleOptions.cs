using static TorchSharp.torch;

namespace F5Parity.Model;

/// <summary>
/// The keyword arguments of upstream's <c>CFM.sample</c>, with upstream's defaults (model/cfm.py). Note that neither
/// upstream path uses these defaults: both pass NFE 32, CFG 2.0 and sway -1.0 from <c>utils_infer</c>.
/// </summary>
public sealed record SampleOptions
{
    /// <summary><c>lens</c>: (b) reference lengths in frames; null = the whole condition.</summary>
    public Tensor? Lens { get; init; }
    public int Steps { get; init; } = 32;
    public double CfgStrength { get; init; } = 1.0;
    public double? SwaySamplingCoef { get; init; }
    /// <summary><c>seed</c>: when set, <c>torch.manual_seed(seed)</c> before each item's noise; upstream's paths pass none.</summary>
    public long? Seed { get; init; }
    public long MaxDuration { get; init; } = 65536;
    public bool UseEpss { get; init; } = true;
    public bool NoRefAudio { get; init; }
    public Tensor? EditMask { get; init; }
    /// <summary>Keep every ODE state (steps + 1, b, n, d); off by default to save memory.</summary>
    public bool KeepTrajectory { get; init; }
    /// <summary>
    /// Sample in training mode (dropout active) instead of the <c>self.eval()</c> upstream's <c>sample</c> starts with;
    /// only the train-mode hypothesis sets it, to measure what a caller that never reached eval mode would get.
    /// </summary>
    public bool TrainMode { get; init; }
    /// <summary>
    /// Run the sample inside an autocast scope of this dtype (float16 or bfloat16), as upstream's trainer does under
    /// <c>accelerator.autocast()</c> with mixed precision (see <see cref="F5Parity.Torch.Autocast"/>): the transformer's
    /// listed ops and a wave condition's mel run in the low dtype while the weights, the noise, the time grid and the ODE
    /// state keep the weights' dtype. Null opens no scope of its own (an enclosing one, if any, stays in effect).
    /// </summary>
    public ScalarType? Autocast { get; init; }
}
