namespace F5Parity.Asr;

/// <summary>
/// STOP-GAP resampler to Whisper's 16 kHz by linear interpolation between neighbouring samples. It has no
/// anti-aliasing filter: taking 24 kHz audio down to 16 kHz folds the 8–12 kHz band back into the spectrum. Good
/// enough to feed Whisper (which only looks below 8 kHz) in a smoke test; not for measurements — the project's sinc
/// resampler replaces it.
/// </summary>
public static class LinearInterpolationFallback
{
    public const int TargetRate = 16000;

    /// <summary>
    /// Resamples mono <paramref name="samples"/> at <paramref name="rate"/> Hz to 16 kHz: output sample i is read at
    /// input position i · rate / 16000, interpolated linearly; the output has floor(n · 16000 / rate) samples
    /// (at least 1 for non-empty input). 16 kHz input is returned as a copy.
    /// </summary>
    public static float[] ToSixteenKhz(float[] samples, int rate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (rate <= 0) throw new ArgumentOutOfRangeException(nameof(rate), rate, "sample rate must be positive");
        if (rate == TargetRate || samples.Length == 0) return (float[])samples.Clone();

        long count = Math.Max(1, (long)samples.Length * TargetRate / rate);
        var output = new float[count];
        double step = (double)rate / TargetRate;
        for (long i = 0; i < count; i++)
        {
            double position = i * step;
            long left = (long)Math.Floor(position);
            if (left >= samples.Length - 1) { output[i] = samples[^1]; continue; }
            double frac = position - left;
            output[i] = (float)(samples[left] + (samples[left + 1] - samples[left]) * frac);
        }
        return output;
    }
}
