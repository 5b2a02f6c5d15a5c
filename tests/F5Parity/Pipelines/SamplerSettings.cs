namespace F5Parity.Pipelines;

/// <summary>
/// The sampler settings both upstream paths pass to <c>CFM.sample</c>: NFE steps, CFG strength, sway coefficient and
/// EPSS. <see cref="Upstream"/> holds the values they import from infer/utils_infer.py:35-46 (nfe_step 32,
/// cfg_strength 2.0, sway_sampling_coef -1.0), declared here once; every option record and the diagnosis start from it.
/// </summary>
public sealed record SamplerSettings(int NfeStep, double CfgStrength, double? SwaySamplingCoef, bool UseEpss)
{
    /// <summary>utils_infer's defaults, which the trainer's sample logging imports too (model/trainer.py:267).</summary>
    public static readonly SamplerSettings Upstream = new(NfeStep: 32, CfgStrength: 2.0, SwaySamplingCoef: -1.0, UseEpss: true);
}
