using F5Parity.Asr;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Asr;

/// <summary>The stop-gap 16 kHz resampler: length, identity, and the accuracy linear interpolation allows.</summary>
public sealed class LinearInterpolationFallbackTests
{
    // Linear interpolation of a sine of frequency f sampled at fs errs by at most about (π f / fs)² / 2 of its
    // amplitude between samples: 0.0086 for 1 kHz at 24 kHz. That bound, not float rounding, sets the tolerance.
    static readonly Tolerance InterpolationError = Tolerance.Absolute(0.009, "linear interpolation of a 1 kHz unit sine sampled at 24 kHz: (π·1000/24000)²/2 = 0.0086");

    [Fact]
    public void A_24_khz_sine_becomes_the_same_sine_at_16_khz()
    {
        const int rate = 24000, n = 24000;
        var input = Enumerable.Range(0, n).Select(i => (float)Math.Sin(2 * Math.PI * 1000 * i / rate)).ToArray();
        var output = LinearInterpolationFallback.ToSixteenKhz(input, rate);
        output.Length.Should().Be(16000);
        var expected = Enumerable.Range(0, output.Length).Select(i => (float)Math.Sin(2 * Math.PI * 1000 * i / 16000.0)).ToArray();
        TensorAssert.Close(tensor(output), tensor(expected), InterpolationError, "resample-linear", "resample-linear/sine1k_24k_to_16k");
    }

    [Fact]
    public void Sixteen_khz_input_is_copied_and_bad_rates_refused()
    {
        var input = new float[] { 0.1f, -0.2f, 0.3f };
        var output = LinearInterpolationFallback.ToSixteenKhz(input, 16000);
        output.Should().Equal(input).And.NotBeSameAs(input);
        FluentActions.Invoking(() => LinearInterpolationFallback.ToSixteenKhz(input, 0)).Should().Throw<ArgumentOutOfRangeException>();
        LinearInterpolationFallback.ToSixteenKhz(new float[] { 0.5f }, 48000).Should().Equal(0.5f);
    }
}
