using F5Parity.Audio;
using F5Parity.Tests.TestUtilities;
using F5Parity.Vocoder;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace F5Parity.Tests.Audio;

/// <summary>
/// The weight-free <see cref="GriffinLim"/> vocoder: it must produce Vocos's output length and audio whose vocos-type
/// mel, re-analysed with <see cref="MelSpec"/>, is close to the mel it was given. There is no upstream reference (it is
/// not an upstream component), so the bound is a quality floor measured on the reference speech.
/// </summary>
public sealed class GriffinLimTests(ITestOutputHelper output)
{
    const string MelFile = "common/mel.safetensors";

    [Fact]
    public void Output_length_is_frames_minus_one_times_hop_like_vocos()
    {
        var mel = ReferenceSet.Golden.Tensors(MelFile)["mel_24k"];
        using var gl = new GriffinLim(nIter: 2);
        using var wave = gl.Decode(mel);
        wave.shape.Should().Equal(mel.shape[0], (mel.shape[2] - 1) * gl.HopLength);
        wave.dtype.Should().Be(ScalarType.Float32);
    }

    [Fact]
    public void Reanalysed_mel_is_close_to_the_input_mel()
    {
        var mel = ReferenceSet.Golden.Tensors(MelFile)["mel_24k"];          // (1, n_mels, frames)
        using var gl = new GriffinLim();
        using var melSpec = new MelSpec(n_mel_channels: gl.NMels);
        using var scope = NewDisposeScope();
        var wave = gl.Decode(mel);
        var again = melSpec.Forward(wave);                                   // frames: 1 + (frames - 1)·hop // hop = frames
        again.shape.Should().Equal(mel.shape);

        // Mean |Δ log-mel| over the entries above the log floor (silent frames are exactly on the floor on both sides).
        var voiced = mel.gt(Math.Log(MelSpec.LogFloor) + 1e-3);
        var meanAbs = (again - mel).abs().masked_select(voiced).mean().item<float>();
        // Spectral convergence of the mel magnitudes: ||M' − M||_F / ||M||_F.
        var convergence = ((again.exp() - mel.exp()).norm() / mel.exp().norm()).item<float>();
        output.WriteLine($"Griffin-Lim ({gl.NIter} iterations): mean |Δ log-mel| {meanAbs:F4} over {voiced.sum().item<long>()} voiced entries; spectral convergence {convergence:F4}");
        // Measured on the 24 kHz reference speech with 32 iterations: 0.178 neper mean, spectral convergence 0.073
        // (zero iterations: 0.90). The bounds leave room for BLAS/FFT differences, not for a broken inversion.
        meanAbs.Should().BeLessThan(0.25f, "Griffin-Lim should recover the mel envelope to a fraction of a neper");
        convergence.Should().BeLessThan(0.15f);

        // And it must beat a trivial baseline: the same magnitudes with zero phase and no iterations.
        using var noIter = new GriffinLim(nIter: 0);
        var baseline = melSpec.Forward(noIter.Decode(mel));
        var baselineConvergence = ((baseline.exp() - mel.exp()).norm() / mel.exp().norm()).item<float>();
        output.WriteLine($"zero-iteration baseline spectral convergence {baselineConvergence:F4}");
        convergence.Should().BeLessThan(baselineConvergence);
    }

    [Fact]
    public void Decode_is_deterministic()
    {
        var mel = ReferenceSet.Golden.Tensors("common/vocos_tiny/vocos_tiny_decode.safetensors")["mel_rand_in"];
        using var gl = new GriffinLim(nIter: 4);
        using var a = gl.Decode(mel);
        using var b = gl.Decode(mel);
        TensorAssert.Close(a, b, Tolerance.Exact("zero-phase start, no randomness"), "griffin_lim", "griffin_lim/deterministic");
    }

    [Fact]
    public void Both_vocoders_share_the_interface()
    {
        var folder = ReferenceSet.Golden.PathOf("common/vocos_tiny");
        using var vocos = Vocos.Load(Path.Combine(folder, "config.yaml"), Path.Combine(folder, "pytorch_model.bin"));
        using var gl = new GriffinLim(nIter: 1);
        var mel = ReferenceSet.Golden.Tensors(MelFile)["mel_24k"];
        foreach (IVocoder v in new IVocoder[] { vocos, gl })
        {
            using var wave = v.Decode(mel);
            wave.shape.Should().Equal(mel.shape[0], (mel.shape[2] - 1) * 256);
        }
        new IVocoder[] { vocos, gl }.Select(v => v.Name).Should().Equal("vocos", "griffin-lim");
    }
}
