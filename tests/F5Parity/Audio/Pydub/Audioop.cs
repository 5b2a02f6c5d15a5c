namespace F5Parity.Audio.Pydub;

/// <summary>
/// The few functions of CPython's <c>audioop</c> module (Modules/audioop.c, Python 3.11) that pydub's
/// <see cref="AudioSegment"/> calls on the way through <c>preprocess_ref_audio_text</c>, with the C code's integer and
/// double arithmetic. Samples are interleaved ints in pydub's storage: width 1 unsigned bytes as WAV stores them (audioop
/// itself reads width-1 data as signed chars, as the C code does), width 2 int16, width 4 int32.
/// </summary>
public static class Audioop
{
    /// <summary><c>audioop.rms</c>: <c>(unsigned int)sqrt(Σ s² / n)</c>, the squares summed in double in order.</summary>
    public static long Rms(ReadOnlySpan<int> samples, int width)
    {
        if (samples.Length == 0) return 0;
        double sumSquares = 0.0;
        foreach (int raw in samples)
        {
            double v = Signed(raw, width);
            sumSquares += v * v;
        }
        return (long)(uint)Math.Sqrt(sumSquares / samples.Length);
    }

    /// <summary><c>audioop.bias</c> for width 1: <c>(u + bias) &amp; 0xff</c> (pydub's unsigned/signed 8-bit flip).</summary>
    public static int[] Bias8(ReadOnlySpan<int> samples, int bias)
    {
        var o = new int[samples.Length];
        for (int i = 0; i < o.Length; i++) o[i] = (samples[i] + bias) & 0xff;
        return o;
    }

    /// <summary><c>audioop.lin2lin</c>: each sample left-aligned to 32 bits, then right-shifted to the new width.</summary>
    public static int[] Lin2Lin(ReadOnlySpan<int> samples, int width, int newWidth)
    {
        var o = new int[samples.Length];
        for (int i = 0; i < o.Length; i++) o[i] = FromSample32(ToSample32(samples[i], width), newWidth);
        return o;
    }

    /// <summary><c>audioop.tostereo(data, width, 1, 1)</c>: every sample twice (exact for unit factors).</summary>
    public static int[] ToStereo(ReadOnlySpan<int> samples)
    {
        var o = new int[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++) o[2 * i] = o[2 * i + 1] = samples[i];
        return o;
    }

    /// <summary>
    /// <c>audioop.ratecv(data, width, nchannels, inrate, outrate, None)</c> with weights (1, 0): rates divided by their
    /// gcd, <c>d</c> starts at <c>-outrate</c>, each input frame adds <c>outrate</c>, each output frame linearly
    /// interpolates the last two input frames at phase <c>d</c> in the 32-bit domain and subtracts <c>inrate</c>.
    /// </summary>
    public static int[] RateCv(ReadOnlySpan<int> samples, int width, int channels, int inRate, int outRate)
    {
        if (inRate <= 0 || outRate <= 0) throw new ArgumentOutOfRangeException(nameof(inRate), "sampling rate not > 0");
        int g = Gcd(inRate, outRate);
        inRate /= g;
        outRate /= g;
        var prev = new int[channels];
        var cur = new int[channels];
        int frames = samples.Length / channels;
        var output = new List<int>((int)Math.Min(int.MaxValue, (long)frames * outRate / inRate + 2) * channels);
        long d = -outRate;
        int next = 0;
        while (true)
        {
            while (d < 0)
            {
                if (next == frames) return output.ToArray();
                for (int c = 0; c < channels; c++)
                {
                    prev[c] = cur[c];
                    cur[c] = ToSample32(samples[next * channels + c], width);
                    // the "simple digital filter" with weightA = 1, weightB = 0
                    cur[c] = (int)((1.0 * cur[c] + 0.0 * prev[c]) / 1.0);
                }
                next++;
                d += outRate;
            }
            while (d >= 0)
            {
                for (int c = 0; c < channels; c++)
                {
                    int o = (int)(((double)prev[c] * d + (double)cur[c] * (outRate - d)) / outRate);
                    output.Add(FromSample32(o, width));
                }
                d -= inRate;
            }
        }
    }

    /// <summary>audioop's <c>GETRAWSAMPLE</c>: width 1 read as a signed char, others as stored.</summary>
    static int Signed(int raw, int width) => width == 1 ? (sbyte)(byte)raw : raw;

    /// <summary>audioop's <c>GETSAMPLE32</c>: the sample left-aligned in 32 bits.</summary>
    static int ToSample32(int raw, int width) => width switch
    {
        1 => (sbyte)(byte)raw << 24,
        2 => raw << 16,
        4 => raw,
        _ => throw new ArgumentOutOfRangeException(nameof(width), $"sample width {width} (pydub stores 1, 2 or 4 bytes)"),
    };

    /// <summary>audioop's <c>SETSAMPLE32</c>: arithmetic right shift to the width (width 1 stored as a signed byte).</summary>
    static int FromSample32(int v, int width) => width switch
    {
        1 => (byte)(sbyte)(v >> 24),
        2 => v >> 16,
        4 => v,
        _ => throw new ArgumentOutOfRangeException(nameof(width), $"sample width {width} (pydub stores 1, 2 or 4 bytes)"),
    };

    static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
