using F5Parity.Model;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// The tolerances of every sampling parity test (CFM.sample, the trainer path, infer_process, the real trainer
/// capture) for one model and sampling setting, all from <see cref="Float32Budget"/>.
/// </summary>
public sealed class SamplingTolerances(DiTConfig config, int steps, double cfg, int vocoderDepth)
{
    /// <summary>Token ids, lengths, seeded noise, the time grid and copied mels.</summary>
    public static readonly Tolerance Bitwise = Tolerance.Exact(
        "same seed, same generator, same float32 grid arithmetic; ids, lengths and copied mels are the same bits");

    /// <summary>The Vocos backbone depth of the vocoder the reference set decodes with.</summary>
    public static SamplingTolerances For(DiTConfig config, int steps, double cfg) =>
        new(config, steps, cfg, CaseModels.VocoderDepth);

    /// <summary>One DiT call (the first packed CFG step).</summary>
    public Tolerance Module { get; } = Float32Budget.Pass(config.Depth, "one DiT call");

    /// <summary>One Vocos decode of the same mel.</summary>
    public Tolerance Decode { get; } = Float32Budget.Pass(vocoderDepth, "one Vocos decode");

    /// <summary>A whole sample, and the mels cut from it.</summary>
    public Tolerance Sample { get; } = Float32Budget.Sample(config.Depth, steps, cfg, "a whole sample");

    /// <summary>The vocoded output of a sampled mel: the sample's budget carried through one more pass.</summary>
    public Tolerance Wave { get; } = Tolerance.Ulps(Float32Budget.SampleUlps(config.Depth, steps, cfg) + Float32Budget.PassUlps(vocoderDepth),
        "a sampled mel's budget plus one Vocos decode (Float32Budget)");
}
