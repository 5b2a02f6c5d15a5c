using static TorchSharp.torch;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Compares log-mels computed by two float32 STFTs on the scale where their rounding lives: magnitudes divided by the
/// frame's largest magnitude. Float32 FFT error is relative to a frame's energy, so bins far below the peak carry
/// large LOG differences (upstream's torch 1.13 FFT is 6e-6 of the peak away from a float64 evaluation, which is
/// 2.7e-3 in log on bins 1e-3 below the peak) while the magnitudes agree to 1e-5 of the peak. See MelSpecParityTests.
/// </summary>
public static class MelAssert
{
    /// <summary>Tolerance on magnitude / frame peak, the same one the MelSpec parity test holds.</summary>
    public static readonly Tolerance Magnitude = Tolerance.Absolute(1e-5,
        "mel magnitude / frame peak; upstream's own float32 FFT (torch 1.13) is 6e-6 away from float64");

    /// <param name="melAxis">The axis holding the mel bins (1 for (b, d, n), 2 for (b, n, d)).</param>
    public static double CloseAsMagnitude(Tensor actual, Tensor expected, long melAxis, string module, string label)
    {
        using var scope = NewDisposeScope();
        var peak = expected.exp().amax([melAxis], keepdim: true);
        return TensorAssert.Close(actual.exp() / peak, expected.exp() / peak, Magnitude, module, $"{label} (magnitude / frame peak)");
    }
}
