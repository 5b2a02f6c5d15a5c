namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// The tolerances of every sampling parity test (CFM.sample, the trainer path, infer_process, the real trainer
/// capture), stated once with their reasons.
/// </summary>
public static class SamplingTolerances
{
    /// <summary>Token ids, lengths, seeded noise, the time grid and copied mels.</summary>
    public static readonly Tolerance Bitwise = Tolerance.Exact(
        "same seed, same generator, same float32 grid arithmetic; ids, lengths and copied mels are the same bits");

    /// <summary>One fp32 module pass: the first DiT call, a mel through Vocos.</summary>
    public static readonly Tolerance Module = Tolerance.Absolute(1e-5, "one fp32 module pass (one DiT call, one Vocos decode)");

    /// <summary>A whole N-step sample.</summary>
    public static readonly Tolerance Sample = Tolerance.Absolute(1e-4,
        "an N-step sample chains 2N DiT passes whose float32 summation order differs between torch 1.13 and libtorch 2.10; " +
        "the DiT itself is held to 1e-5 per pass");

    /// <summary>The vocoded output of a sampled mel.</summary>
    public static readonly Tolerance Wave = Tolerance.Absolute(1e-5,
        "the tiny Vocos decodes a mel that is within 1e-4; its random weights shrink the signal (measured 1.3e-7 on the wave)");
}
