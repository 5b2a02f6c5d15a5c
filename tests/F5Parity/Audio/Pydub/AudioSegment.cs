using System.Buffers.Binary;
using F5Parity.Errors;

namespace F5Parity.Audio.Pydub;

/// <summary>
/// The part of pydub's <c>AudioSegment</c> (pydub 0.24.1 — Debian 12's python3-pydub, the version that made the reference — pydub/audio_segment.py) that upstream's
/// <c>preprocess_ref_audio_text</c> touches: an immutable block of interleaved integer samples, sliced and measured in
/// MILLISECONDS. Its quirks are kept because they decide how many samples the model is conditioned on:
/// <list type="bullet">
/// <item><c>len()</c> is <c>round(1000 · frames / rate)</c> (ties to even), so a slice that runs to the end asks for up to
/// half a millisecond more than exists and is padded with zero frames (up to 2 ms is allowed);</item>
/// <item>a millisecond position becomes frame <c>int(ms · (rate / 1000.0))</c>;</item>
/// <item>appending syncs both segments to the larger channel count, rate and width, resampling with
/// <see cref="Audioop.RateCv"/> — <see cref="Silent"/>'s default rate is 11025 Hz, so the 50 ms of silence upstream
/// appends becomes <c>ratecv</c>'s frame count at the clip's rate;</item>
/// <item>24-bit WAV samples are widened to 32 bits as <c>(b2 b1 b0) &lt;&lt; 8</c> with 0xFF in the low byte when
/// negative; 8-bit samples stay unsigned and are measured through a 16-bit copy.</item>
/// </list>
/// </summary>
public sealed class AudioSegment
{
    AudioSegment(int[] data, int sampleWidth, int frameRate, int channels)
    {
        Data = data;
        SampleWidth = sampleWidth;
        FrameRate = frameRate;
        Channels = channels;
    }

    /// <summary>Interleaved samples: width 1 unsigned bytes, width 2 int16, width 4 int32.</summary>
    public int[] Data { get; }
    public int SampleWidth { get; }
    public int FrameRate { get; }
    public int Channels { get; }

    /// <summary><c>frame_count()</c>.</summary>
    public int FrameCount => Data.Length / Channels;

    /// <summary><c>len(segment)</c>: milliseconds, <c>round(1000 · (frames / rate))</c>.</summary>
    public int Length => (int)Math.Round(1000 * ((double)FrameCount / FrameRate), MidpointRounding.ToEven);

    /// <summary><c>duration_seconds</c>.</summary>
    public double DurationSeconds => FrameRate == 0 ? 0.0 : (double)FrameCount / FrameRate;

    /// <summary><c>max_possible_amplitude</c>: <c>2^bits / 2</c>.</summary>
    public double MaxPossibleAmplitude => Math.Pow(2, SampleWidth * 8) / 2;

    /// <summary><c>rms</c>: <see cref="Audioop.Rms"/>, through a 16-bit copy for 8-bit audio.</summary>
    public long Rms => SampleWidth == 1 ? SetSampleWidth(2).Rms : Audioop.Rms(Data, SampleWidth);

    /// <summary><c>dBFS</c>: <c>20 · log(rms / max_possible_amplitude, 10)</c>, −∞ when silent.</summary>
    public double DbFs
    {
        get
        {
            long rms = Rms;
            if (rms == 0) return double.NegativeInfinity;
            return RatioToDb(rms / MaxPossibleAmplitude);
        }
    }

    /// <summary>pydub's <c>ratio_to_db</c>: Python's <c>math.log(x, 10)</c> is <c>log(x) / log(10)</c>, not log10.</summary>
    public static double RatioToDb(double ratio) => ratio == 0 ? double.NegativeInfinity : 20 * (Math.Log(ratio) / Math.Log(10));

    /// <summary>pydub's <c>db_to_float</c>: <c>10 ** (db / 20)</c>.</summary>
    public static double DbToFloat(double db) => Math.Pow(10, db / 20);

    /// <summary><c>AudioSegment.silent(duration, frame_rate=11025)</c>: mono 16-bit zeros, <c>int(rate · ms / 1000.0)</c> frames.</summary>
    public static AudioSegment Silent(int durationMs, int frameRate = 11025) =>
        new(new int[(int)(frameRate * (durationMs / 1000.0))], 2, frameRate, 1);

    /// <summary>A segment of the given samples (interleaved, pydub's storage for <paramref name="sampleWidth"/>).</summary>
    public static AudioSegment FromSamples(int[] data, int sampleWidth, int frameRate, int channels)
    {
        if (sampleWidth is not (1 or 2 or 4)) throw new ArgumentOutOfRangeException(nameof(sampleWidth), $"pydub stores 1, 2 or 4 bytes a sample, not {sampleWidth}");
        if (channels <= 0 || data.Length % channels != 0) throw new ArgumentException($"{data.Length} samples do not make whole frames of {channels} channel(s)");
        return new(data, sampleWidth, frameRate, channels);
    }

    /// <summary>
    /// <c>AudioSegment.from_file(path)</c> for a .wav: pydub reads integer PCM itself (8/16/24/32-bit); any other
    /// encoding it hands to ffmpeg, which this suite does not run, so such a file is refused with the fault named.
    /// </summary>
    public static AudioSegment FromWav(string path)
    {
        var raw = WavFile.ReadRaw(path);
        if (raw.IsFloat)
            throw new AudioFormatException(path,
                $"{raw.Bits}-bit float WAV: upstream's preprocess_ref_audio_text (pydub) decodes it through ffmpeg, which is not modelled here; convert the reference to 16-bit PCM (sox in.wav -b 16 out.wav)");
        int bytes = raw.Bits / 8;
        var d = raw.Data.AsSpan();
        var samples = new int[d.Length / bytes];
        for (int i = 0; i < samples.Length; i++)
        {
            var s = d.Slice(i * bytes, bytes);
            samples[i] = bytes switch
            {
                1 => s[0],
                2 => BinaryPrimitives.ReadInt16LittleEndian(s),
                // pydub writes a padding byte (0xFF when b2 > 0x7f) and then b0 b1 b2: little-endian int32
                3 => (s[2] << 24) | (s[1] << 16) | (s[0] << 8) | (s[2] > 0x7f ? 0xFF : 0x00),
                _ => BinaryPrimitives.ReadInt32LittleEndian(s),
            };
        }
        return new(samples, bytes == 3 ? 4 : bytes, raw.SampleRate, raw.Channels);
    }

    /// <summary><c>segment[start:end]</c> in milliseconds (null = from the start / to the end); both clamp to <see cref="Length"/>.</summary>
    public AudioSegment Slice(int? startMs, int? endMs)
    {
        int len = Length;
        int start = Math.Min(startMs ?? 0, len), end = Math.Min(endMs ?? len, len);
        return Extract(start, end);
    }

    /// <summary><c>segment[ms]</c>: the one millisecond at <paramref name="ms"/> (not clamped).</summary>
    public AudioSegment At(int ms) => Extract(ms, ms + 1);

    AudioSegment Extract(int startMs, int endMs)
    {
        long startFrame = ParsePosition(startMs), endFrame = ParsePosition(endMs);
        long from = Math.Min(startFrame, FrameCount), to = Math.Min(endFrame, FrameCount);
        long have = Math.Max(0, to - from);
        long missing = endFrame - startFrame - have;
        // pydub pads a slice that ends past the data with copies of a zeroed first frame (none when the slice is empty)
        if (missing > 0 && missing > FrameRate / 1000.0 * 2)
            throw new InvalidOperationException($"pydub's TooManyMissingFrames: {missing} frames missing (more than 2 ms)");
        long padded = have == 0 || missing <= 0 ? 0 : missing;
        var data = new int[(have + padded) * Channels];
        Array.Copy(Data, from * Channels, data, 0, have * Channels);
        return new(data, SampleWidth, FrameRate, Channels);
    }

    /// <summary><c>_parse_position</c>: a negative position counts back from <see cref="Length"/>, then <c>int(ms · (rate / 1000.0))</c>.</summary>
    long ParsePosition(int ms)
    {
        if (ms < 0) ms = Length - Math.Abs(ms);
        if (ms < 0) throw new ArgumentOutOfRangeException(nameof(ms), "a position before the start (Python would index from the end of the bytes)");
        return (long)(ms * (FrameRate / 1000.0));
    }

    /// <summary><c>reverse()</c>: <c>audioop.reverse</c> reverses the sample order (for stereo that also swaps the channels).</summary>
    public AudioSegment Reverse()
    {
        var data = (int[])Data.Clone();
        Array.Reverse(data);
        return new(data, SampleWidth, FrameRate, Channels);
    }

    /// <summary><c>self + other</c> = <c>append(other, crossfade=0)</c>: both synced, then concatenated.</summary>
    public AudioSegment Append(AudioSegment other)
    {
        int channels = Math.Max(Channels, other.Channels);
        int rate = Math.Max(FrameRate, other.FrameRate);
        int width = Math.Max(SampleWidth, other.SampleWidth);
        var a = SetChannels(channels).SetFrameRate(rate).SetSampleWidth(width);
        var b = other.SetChannels(channels).SetFrameRate(rate).SetSampleWidth(width);
        return new([.. a.Data, .. b.Data], width, rate, channels);
    }

    /// <summary><c>set_channels</c>: only mono → stereo arises here (pydub has no conversion to more channels).</summary>
    public AudioSegment SetChannels(int channels)
    {
        if (channels == Channels) return this;
        if (Channels == 1 && channels == 2) return new(Audioop.ToStereo(Data), SampleWidth, FrameRate, 2);
        throw new NotSupportedException($"pydub's set_channels cannot turn {Channels} channel(s) into {channels} (upstream fails here with UnboundLocalError)");
    }

    /// <summary><c>set_frame_rate</c>: <see cref="Audioop.RateCv"/> (an empty segment just takes the new rate).</summary>
    public AudioSegment SetFrameRate(int rate)
    {
        if (rate == FrameRate) return this;
        var data = Data.Length == 0 ? Data : Audioop.RateCv(Data, SampleWidth, Channels, FrameRate, rate);
        return new(data, SampleWidth, rate, Channels);
    }

    /// <summary><c>set_sample_width</c>: 8-bit is unsigned on disk and signed in audioop, hence the ±128 bias around lin2lin.</summary>
    public AudioSegment SetSampleWidth(int width)
    {
        if (width == SampleWidth) return this;
        int[] data = Data;
        if (SampleWidth == 1) data = Audioop.Bias8(data, -128);
        if (data.Length > 0) data = Audioop.Lin2Lin(data, SampleWidth, width);
        if (width == 1) data = Audioop.Bias8(data, 128);
        return new(data, width, FrameRate, Channels);
    }

    /// <summary>
    /// What <c>export(format="wav")</c> followed by <c>torchaudio.load</c> gives: (channels, frames) float32,
    /// 16-bit samples / 32768, 32-bit samples / 2^31 (8-bit never reaches the export: the appended silence is 16-bit).
    /// </summary>
    public float[] ToTorchaudioFloats()
    {
        if (SampleWidth == 1) throw new InvalidOperationException("an 8-bit segment is exported as 8-bit; preprocess_ref_audio_text always ends 16-bit or wider");
        int frames = FrameCount;
        var o = new float[Data.Length];
        for (int f = 0; f < frames; f++)
            for (int c = 0; c < Channels; c++)
            {
                int s32 = SampleWidth == 2 ? Data[f * Channels + c] << 16 : Data[f * Channels + c];
                o[c * frames + f] = (float)s32 * (1.0f / 2147483648.0f);
            }
        return o;
    }
}
