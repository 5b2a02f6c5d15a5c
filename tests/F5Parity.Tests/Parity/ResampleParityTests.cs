using F5Parity.Audio;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// <c>torchaudio.transforms.Resample(22050, 24000)</c>, which upstream applies to every reference clip not at 24 kHz
/// (dataset.py:154, utils_infer.py:467): the espeak 22,050 Hz WAV resampled by the port must equal upstream's
/// (common/mel.safetensors: wav_22050 → wav_22050_resampled_24k).
/// </summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class ResampleParityTests
{
    /// <summary>
    /// Same float32 kernel (built in float64 then cast, like torchaudio) and the same conv1d; only the convolution's
    /// float32 summation order over 2·width + 147 taps may differ between builds.
    /// </summary>
    static readonly Tolerance Conv = Float32Budget.Pass(0, "one float32 conv1d over ~300 taps, another summation order");

    const string MelFile = "common/mel.safetensors";

    /// <summary>The two rates, from the reference WAV files themselves.</summary>
    static (int Orig, int New) Rates() =>
        (WavFile.Read(ReferenceSet.Current.PathOf("audio/ref_pt_espeak_22050.wav")).SampleRate,
         WavFile.Read(ReferenceSet.Current.PathOf("audio/ref_pt_24k.wav")).SampleRate);

    [Fact]
    public void Resampled_espeak_wav_equals_torchaudio()
    {
        var t = ReferenceSet.Current.Tensors(MelFile);
        var (orig, @new) = Rates();
        using var resample = new Resample(orig, @new);
        using var actual = resample.Forward(t["wav_22050"]);
        actual.shape[^1].Should().Be((long)Math.Ceiling((double)t["wav_22050"].shape[^1] * @new / orig), "torchaudio keeps ceil(nw · new / orig) samples");
        TensorAssert.Close(actual, t["wav_22050_resampled_24k"], Conv, "resample", "resample/22050_to_24000");
    }

    [Fact]
    public void Kernel_has_torchaudio_layout_after_gcd_reduction()
    {
        var (orig, @new) = Rates();
        using var resample = new Resample(orig, @new);
        int o = orig / resample.Gcd, n = @new / resample.Gcd;
        resample.Width.Should().Be((int)Math.Ceiling(resample.LowpassFilterWidth * o / (Math.Min(o, n) * resample.Rolloff)));
        using var kernel = resample.Kernel!;
        kernel.shape.Should().Equal(n, 1, 2 * resample.Width + o);
        kernel.dtype.Should().Be(ScalarType.Float32);
        // Filter 0 is centred on tap `width`: sinc(0) · window(0) · scale = base_freq / orig.
        kernel[0, 0, resample.Width].item<float>().Should().Be((float)(Math.Min(o, n) * resample.Rolloff / o));
        // Every filter integrates to ~1 (unit DC gain) up to the truncated sinc tails.
        using var dcGain = kernel.sum(-1).flatten();
        dcGain.sub(1).abs().max().item<float>().Should().BeLessThan(1e-2f);
    }

    [Fact]
    public void Equal_rates_return_the_input_and_batches_resample_row_by_row()
    {
        var wav = ReferenceSet.Current.Tensors(MelFile)["wav_22050"];
        var (orig, @new) = Rates();
        using (var same = new Resample(orig, orig))
        using (var y = same.Forward(wav))
            TensorAssert.Close(y, wav, Tolerance.Exact("no resampling when the rates match"), "resample", "resample/identity");

        using var r = new Resample(orig, @new);
        using var batch = cat(new[] { wav, wav.flip(-1) }, 0);     // (2, nw)
        using var both = r.Forward(batch);
        using var one = r.Forward(wav.flip(-1));
        TensorAssert.Close(both[1..], one, Tolerance.Exact("rows are independent"), "resample", "resample/batch_row");
    }

    /// <summary>
    /// Resample runs libtorch's own float32 conv1d (1 input channel, stride orig/gcd): it must agree with the same kernel
    /// applied in float64 at several lengths, which guards against the oneDNN fault described in Im2ColConv1d.
    /// </summary>
    [Theory]
    [InlineData(1_000)]
    [InlineData(81_824)]
    [InlineData(250_000)]
    public void Float32_convolution_matches_float64_at_any_length(int length)
    {
        var (orig, @new) = Rates();
        using var r = new Resample(orig, @new);
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 1, length }, generator: new TorchSharp.torch.Generator(99)) * 0.3;
        var actual = r.Forward(x);
        int o = orig / r.Gcd;
        var padded = nn.functional.pad(x.to(ScalarType.Float64), new long[] { r.Width, r.Width + o });
        var y = nn.functional.conv1d(padded.unsqueeze(1), r.Kernel!.to(ScalarType.Float64), stride: o);
        var expected = y.transpose(1, 2).reshape(1, -1)[.., ..(int)actual.shape[^1]];
        TensorAssert.Close(actual, expected, Tolerance.Absolute(1e-6, "float32 sums of ~300 taps vs float64"), "resample", $"resample/float32_vs_float64_{length}");
    }
}
