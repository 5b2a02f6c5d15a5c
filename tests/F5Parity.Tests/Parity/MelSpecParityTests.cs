using F5Parity.Audio;
using F5Parity.Tests.TestUtilities;
using F5Parity.Vocoder;
using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// Upstream's <c>MelSpec</c> (modules.py): the vocos-type log-mel of the reference WAVs must equal upstream's
/// (common/mel.safetensors), and the HTK filterbank must equal torchaudio's own, which the tiny Vocos checkpoint stores
/// as <c>feature_extractor.mel_spec.mel_scale.fb</c> (torchaudio.transforms.MelSpectrogram with the same settings).
/// The bigvgan extractor has no upstream reference here: its shape and the properties it is built to have are tested.
/// </summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class MelSpecParityTests
{
    // Mel magnitudes, |exp(ours) − exp(upstream)| / (the frame's largest mel magnitude). Float32 FFT rounding is
    // relative to a frame's energy, so this is the scale on which two float32 STFTs can be compared. Measured:
    // 6.6e-6 here, while upstream's own values are 5.6e-6 / 6.0e-6 (24k / resampled) away from a float64 evaluation of
    // the same formula and ours 4e-7 (see Log_mel_matches_a_float64_evaluation_of_the_same_formula):
    // the difference is upstream's float32 FFT rounding (torch 1.13 CPU build), not the port. In the log domain the
    // same rounding reaches 2.6e-3 on bins 1e-5 below the frame peak (top mel bands of 22 kHz material), so the log is
    // not the comparison scale.
    // The tolerance is MelAssert.Magnitude (1e-5), shared with every test that compares mels.

    /// <summary>Against float64 arithmetic the port's float32 STFT is at float32 rounding (measured 4.7e-7).</summary>
    static readonly Tolerance Float32Rounding = Tolerance.Absolute(1e-6, "float32 STFT + matmul rounding vs float64, relative to the frame peak");

    /// <summary>
    /// Filterbank: torchaudio builds it in float32 (linspace of mel points, 10 ** (m / 2595), triangle slopes). Inverting
    /// upstream's triangles shows its band edges 52..87 differ from libtorch 2.10's by −2..+5 float32 ulps (vectorised
    /// linspace/pow kernels of the two builds); divided by the ~200 Hz band width that is 1.2e-5 on a weight ≤ 1.
    /// </summary>
    static readonly Tolerance FilterBank = Tolerance.Absolute(2e-5, "band edges differ by <= 5 float32 ulps between torch builds");

    /// <summary>Window: torch 1.13 and libtorch 2.10 cos kernels differ by one float32 ulp on 18 of 1024 points.</summary>
    static readonly Tolerance WindowUlp = Tolerance.Absolute(1.2e-7, "one float32 ulp below 1.0 from the cos kernel");

    const string MelFile = "common/mel.safetensors";
    const string VocosStateDict = "common/vocos_tiny/vocos_tiny_state_dict.safetensors";
    const string VocosConfigFile = "common/vocos_tiny/config.yaml";

    public static TheoryData<string, string> Waves() => new()
    {
        { "wav_24k", "mel_24k" },
        { "wav_22050_resampled_24k", "mel_22050_resampled_24k" },
    };

    [Theory]
    [MemberData(nameof(Waves))]
    public void Vocos_mel_of_reference_audio_equals_upstream(string wave, string melName)
    {
        var t = ReferenceSet.Current.Tensors(MelFile);
        var expected = t[melName];                            // (1, n_mels, frames), natural log
        using var mel = new MelSpec(n_mel_channels: (int)expected.shape[1]);
        using var actual = mel.Forward(t[wave]);
        actual.shape.Should().Equal(expected.shape);
        actual.shape[2].Should().Be(mel.FrameCount(t[wave].shape[^1]), "center=True gives 1 + nw // hop frames");
        MelAssert.CloseAsMagnitude(actual, expected, melAxis: 1, "mel_spec", $"mel_spec/{melName}");
    }

    [Theory]
    [MemberData(nameof(Waves))]
    public void Log_mel_matches_a_float64_evaluation_of_the_same_formula(string wave, string melName)
    {
        var t = ReferenceSet.Current.Tensors(MelFile);
        using var mel = new MelSpec(n_mel_channels: (int)t[melName].shape[1]);
        using var actual = mel.Forward(t[wave]);
        using var scope = NewDisposeScope();
        var wav64 = t[wave].to(ScalarType.Float64);
        var window = hann_window(mel.WinLength, periodic: true, dtype: ScalarType.Float32).to(ScalarType.Float64);
        var magnitude = stft(wav64, mel.NFft, hop_length: mel.HopLength, win_length: mel.WinLength, window: window, center: true,
            pad_mode: PaddingModes.Reflect, normalized: false, onesided: true, return_complex: true).abs();
        var exact = matmul(magnitude.transpose(-1, -2), mel.FilterBank.to(ScalarType.Float64)).transpose(-1, -2).clamp(min: MelSpec.LogFloor);
        var peak = exact.amax(new long[] { 1 }, keepdim: true);
        TensorAssert.Close(actual.to(ScalarType.Float64).exp() / peak, exact / peak, Float32Rounding, "mel_spec", $"mel_spec/{melName} vs float64");
    }

    [Fact]
    public void Htk_filterbank_equals_torchaudio_melscale_fbanks()
    {
        var expected = ReferenceSet.Current.Tensors(VocosStateDict)["feature_extractor.mel_spec.mel_scale.fb"]; // (n_freqs, n_mels)
        int sampleRate = VocosConfig.FromYamlFile(ReferenceSet.Current.PathOf(VocosConfigFile)).SampleRate;
        int nFreqs = (int)expected.shape[0], nMels = (int)expected.shape[1];
        using var actual = MelFilterBank.Htk(nFreqs, 0.0, sampleRate / 2, nMels, sampleRate);
        TensorAssert.Close(actual, expected, FilterBank, "mel_filterbank", "mel_filterbank/htk_vs_torchaudio");
    }

    [Fact]
    public void Stft_window_equals_torchaudio_periodic_hann()
    {
        var expected = ReferenceSet.Current.Tensors(VocosStateDict)["feature_extractor.mel_spec.spectrogram.window"];
        using var actual = hann_window(expected.shape[0], periodic: true, dtype: ScalarType.Float32);
        TensorAssert.Close(actual, expected, WindowUlp, "mel_spec", "mel_spec/window");
    }

    [Fact]
    public void Bigvgan_mel_has_center_false_frame_count_and_n_mels_rows()
    {
        var wav = ReferenceSet.Current.Tensors(MelFile)["wav_24k"];   // (1, nw)
        using var mel = new MelSpec(mel_spec_type: "bigvgan");
        using var actual = mel.Forward(wav);
        // Reflect pad (n_fft - hop) / 2 per side, center=False: 1 + (nw + 2·pad - n_fft) // hop frames.
        long pad = (mel.NFft - mel.HopLength) / 2;
        long frames = 1 + (wav.shape[^1] + 2 * pad - mel.NFft) / mel.HopLength;
        actual.shape.Should().Equal(wav.shape[0], mel.NMelChannels, frames);
        actual.isfinite().all().item<bool>().Should().BeTrue();
    }

    [Fact]
    public void Bigvgan_mel_of_silence_sits_exactly_on_the_log_floor()
    {
        // sqrt(0 + 1e-9) per bin times a slaney row (sum ~ 1 / bin width) stays far below 1e-5, so every entry is log(1e-5).
        using var mel = new MelSpec(mel_spec_type: "bigvgan");
        using var silence = zeros(2, 4096);
        using var actual = mel.Forward(silence);
        using var floor = full_like(actual, (float)Math.Log(MelSpec.LogFloor));
        TensorAssert.Close(actual, floor, Tolerance.Exact("clamp(min=1e-5).log() of silence"), "mel_spec_bigvgan", "mel_spec_bigvgan/silence_floor");
        using var vocos = new MelSpec();
        using var vocosSilence = vocos.Forward(silence);
        TensorAssert.Close(vocosSilence, full_like(vocosSilence, (float)Math.Log(MelSpec.LogFloor)),
            Tolerance.Exact("clamp(min=1e-5).log() of silence"), "mel_spec", "mel_spec/silence_floor");
    }

    [Fact]
    public void Slaney_filterbank_rows_have_unit_area_over_hertz()
    {
        // norm="slaney" scales each triangle by 2 / (f[m+2] - f[m]), i.e. to unit area in Hz. The Riemann sum over the
        // STFT bins (spacing sr / n_fft) approximates that area well once a triangle spans many bins.
        using var mel = new MelSpec(mel_spec_type: "bigvgan");
        using var fb = mel.FilterBank.to(ScalarType.Float64);       // (n_mels, n_freqs)
        double binHz = (double)mel.TargetSampleRate / mel.NFft;
        var rowArea = (fb.sum(1) * binHz).data<double>().ToArray();
        var support = fb.gt(0).sum(1).data<long>().ToArray();
        int wide = 0;
        for (int m = 0; m < rowArea.Length; m++)
        {
            support[m].Should().BeGreaterThan(0, $"mel band {m} must cover at least one STFT bin");
            // Narrow low bands (2-4 bins) sample the triangle coarsely: within 15 %; from 10 bins on, within 0.5 %.
            rowArea[m].Should().BeApproximately(1.0, support[m] >= 10 ? 0.005 : 0.15, $"band {m} spans {support[m]} bins");
            if (support[m] >= 10) wide++;
        }
        wide.Should().BeGreaterThan(rowArea.Length / 4, "the upper bands are wide");
        // The slaney scale is linear below 1 kHz: the first band edges are equally spaced in Hz (200/3 Hz per mel).
        MelFilterBank.MelToHzSlaney(MelFilterBank.HzToMelSlaney(500.0)).Should().BeApproximately(500.0, 1e-9);
        MelFilterBank.HzToMelSlaney(1000.0).Should().BeApproximately(15.0, 1e-12);
    }

    [Fact]
    public void Mono_input_and_batch_input_agree()
    {
        var wav = ReferenceSet.Current.Tensors(MelFile)["wav_24k"];
        using var mel = new MelSpec();
        using var batched = mel.Forward(wav);
        using var mono = mel.Forward(wav[0]);
        using var channel = mel.Forward(wav.unsqueeze(1));
        TensorAssert.Close(mono, batched, Tolerance.Exact("same computation"), "mel_spec", "mel_spec/mono_vs_batch");
        TensorAssert.Close(channel, batched, Tolerance.Exact("same computation"), "mel_spec", "mel_spec/b1nw_vs_batch");
    }
}
