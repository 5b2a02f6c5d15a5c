using F5Parity.Audio;
using F5Parity.Errors;
using F5Parity.Pipelines;
using NAudio.Wave;
using static TorchSharp.torch;

namespace F5Parity.Tests.BadInput;

/// <summary>
/// Odd reference recordings. Formats upstream reads are read the same way (and reach 24 kHz mono through
/// <see cref="ReferenceAudio.Prepare"/>); what would make upstream produce NaN raises <see cref="AudioFormatException"/>;
/// risky but usable clips get an <see cref="AudioHealth"/> diagnostic.
/// </summary>
public sealed class WavBadInputTests : IClassFixture<BadInputFolder>
{
    readonly BadInputFolder _dir;
    public WavBadInputTests(BadInputFolder dir) => _dir = dir;

    /// <summary>A 440 Hz tone at half scale, <paramref name="seconds"/> long, written with NAudio in the given format.</summary>
    string Tone(string name, WaveFormat format, double seconds = 0.25, Func<double, double>? shape = null)
    {
        var p = _dir.File(name);
        using var w = new WaveFileWriter(p, format);
        long n = (long)(seconds * format.SampleRate);
        var frame = new float[format.Channels];
        for (long i = 0; i < n; i++)
        {
            double x = shape?.Invoke(i / (double)format.SampleRate) ?? 0.5 * Math.Sin(2 * Math.PI * 440 * i / format.SampleRate);
            for (int c = 0; c < format.Channels; c++) frame[c] = (float)(c == 0 ? x : -0.5 * x);
            if (format.Encoding == WaveFormatEncoding.IeeeFloat) w.WriteSamples(frame, 0, frame.Length);
            else if (format.BitsPerSample == 8) foreach (var f in frame) w.WriteByte((byte)Math.Clamp(Math.Round(f * 128 + 128), 0, 255));
            else foreach (var f in frame) w.WriteSample(f);
        }
        return p;
    }

    [Fact]
    public void Stereo_is_read_as_two_channels_and_averaged_like_upstream()
    {
        var (audio, sr) = WavFile.Read(Tone("stereo.wav", new WaveFormat(24000, 16, 2)));
        using var _ = audio;
        audio.shape.Should().Equal(2, 6000);
        AudioHealth.Diagnose(audio, sr).Should().ContainSingle(i => i.Kind == AudioIssueKind.MultiChannel);
        using var mono = ReferenceAudio.ToMono(audio);
        using var expected = (audio[0] + audio[1]) / 2;
        mono.shape.Should().Equal(1, 6000);
        mono[0].allclose(expected, 0, 1e-7).Should().BeTrue();
    }

    [Fact]
    public void Eight_bit_pcm_is_read_with_the_unsigned_offset()
    {
        var (audio, _) = WavFile.Read(Tone("u8.wav", new WaveFormat(24000, 8, 1)));
        using var __ = audio;
        float peak = audio.abs().max().item<float>();
        peak.Should().BeApproximately(0.5f, 1f / 128, "a half-scale tone stays half scale after (u - 128) / 128");
    }

    [Fact]
    public void Float32_is_read_as_stored()
    {
        var (audio, _) = WavFile.Read(Tone("f32.wav", WaveFormat.CreateIeeeFloatWaveFormat(24000, 1)));
        using var __ = audio;
        audio[0, 100].item<float>().Should().BeApproximately((float)(0.5 * Math.Sin(2 * Math.PI * 440 * 100 / 24000.0)), 1e-6f);
    }

    [Theory]
    [InlineData(48000)]
    [InlineData(44100)]
    [InlineData(16000)]
    [InlineData(8000)]
    public void Other_rates_are_resampled_to_24k(int rate)
    {
        var (audio, sr) = WavFile.Read(Tone($"r{rate}.wav", new WaveFormat(rate, 16, 1), seconds: 0.5));
        using var __ = audio;
        sr.Should().Be(rate);
        var (prepared, _) = ReferenceAudio.Prepare(audio, sr, 0.1, true, 24000);
        using (prepared)
            prepared.shape[^1].Should().BeCloseTo(12000, 1, "0.5 s at 24 kHz");
    }

    [Fact]
    public void Empty_wav()
    {
        var p = Tone("empty.wav", new WaveFormat(24000, 16, 1), seconds: 0);
        BadInputFolder.ExpectFault<AudioFormatException>(() => WavFile.Read(p), p, "no audio samples");
    }

    [Fact]
    public void All_silence_is_refused_because_rms_normalisation_would_divide_by_zero()
    {
        var p = Tone("silence.wav", new WaveFormat(24000, 16, 1), shape: _ => 0);
        var (audio, sr) = WavFile.Read(p);
        using var _ = audio;
        // What upstream's path would do: 0 * target_rms / 0 = NaN everywhere.
        var (prepared, rms) = ReferenceAudio.Prepare(audio, sr, 0.1, true, 24000);
        using (prepared)
        {
            rms.Should().Be(0f);
            prepared.isnan().all().item<bool>().Should().BeTrue("this is why the clip must be refused up front");
        }
        BadInputFolder.ExpectFault<AudioFormatException>(() => AudioHealth.ThrowIfUnusable(p, audio, sr), p, "every sample is 0");
    }

    [Fact]
    public void Clipped_audio_is_reported_with_the_share_of_full_scale_samples()
    {
        var p = Tone("clipped.wav", new WaveFormat(24000, 16, 1), shape: t => Math.Clamp(3 * Math.Sin(2 * Math.PI * 440 * t), -1, 1));
        var (audio, sr) = WavFile.Read(p);
        using var _ = audio;
        var issue = AudioHealth.ThrowIfUnusable(p, audio, sr).Should().ContainSingle(i => i.Kind == AudioIssueKind.Clipped).Which;
        issue.Detail.Should().MatchRegex(@"^\d+ of 6000 samples \([\d.]+ %\) are at full scale");
    }

    [Fact]
    public void Longer_than_30_seconds_is_reported()
    {
        var p = Tone("long.wav", new WaveFormat(8000, 16, 1), seconds: 31);
        var (audio, sr) = WavFile.Read(p);
        using var _ = audio;
        AudioHealth.Diagnose(audio, sr).Should().ContainSingle(i => i.Kind == AudioIssueKind.TooLong)
            .Which.Detail.Should().StartWith("31 s long");
        TextChunker.MaxChars("Olá mundo.", 31, 1.0).Should().BeNegative("upstream's max_chars formula past 22 s");
    }

    [Fact]
    public void Not_a_wav_at_all()
    {
        var p = _dir.Write("song.wav", "ID3\u0004\0\0\0\0\0\0 mp3 data"u8.ToArray());
        BadInputFolder.ExpectFault<AudioFormatException>(() => WavFile.Read(p), p, "not a WAV file");
    }
}
