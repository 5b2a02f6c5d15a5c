using System.Buffers.Binary;
using F5Parity.Audio;
using F5Parity.Errors;
using F5Parity.Tests.TestUtilities;
using NAudio.Utils;
using NAudio.Wave;
using static TorchSharp.torch;

namespace F5Parity.Tests.Audio;

/// <summary>
/// <see cref="WavFile"/> must load WAVs exactly as upstream's <c>torchaudio.load</c> did (common/mel.safetensors holds
/// its output for both reference WAVs), round-trip what it writes, read every PCM/float layout NAudio reads with
/// torchaudio's scaling, and turn every malformed file into an <see cref="AudioFormatException"/> naming the file.
/// </summary>
public sealed class WavFileTests : IDisposable
{
    static readonly Tolerance Bitwise = Tolerance.Exact("integer PCM scaled by a power of two is exact in float32");
    const string MelFile = "common/mel.safetensors";

    readonly string _dir = Path.Combine(RepoPaths.Artifacts, "wavfile-tests", Guid.NewGuid().ToString("N"));

    public WavFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    public static TheoryData<string, string> ReferenceWavs() => new()
    {
        { "audio/ref_pt_24k.wav", "wav_24k" },
        { "audio/ref_pt_espeak_22050.wav", "wav_22050" },
    };

    [Theory]
    [MemberData(nameof(ReferenceWavs))]
    public void Reads_reference_wavs_exactly_like_torchaudio_load(string file, string tensorName)
    {
        var (audio, sampleRate) = WavFile.Read(ReferenceSet.Golden.PathOf(file));
        using (audio)
        {
            TensorAssert.Close(audio, ReferenceSet.Golden.Tensors(MelFile)[tensorName], Bitwise, "wav_io", $"wav_io/{tensorName}");
            using var reader = new WaveFileReader(ReferenceSet.Golden.PathOf(file));
            sampleRate.Should().Be(reader.WaveFormat.SampleRate);
        }
    }

    [Fact]
    public void Rms_of_the_loaded_wav_equals_upstreams()
    {
        // utils_infer.py:463: rms = sqrt(mean(square(audio))), the value that decides RMS normalisation.
        var (audio, _) = WavFile.Read(ReferenceSet.Golden.PathOf("audio/ref_pt_24k.wav"));
        using (audio)
        using (var rms = audio.square().mean().sqrt().reshape(1))
            TensorAssert.Close(rms, ReferenceSet.Golden.Tensors(MelFile)["rms_24k"],
                Tolerance.Absolute(1e-7, "float32 mean over 89k samples, summation order"), "wav_io", "wav_io/rms_24k");
    }

    [Theory]
    [InlineData(WavFile.Encoding.Pcm16)]
    [InlineData(WavFile.Encoding.Float32)]
    public void Round_trips_what_it_writes(WavFile.Encoding encoding)
    {
        var wav = ReferenceSet.Golden.Tensors(MelFile)["wav_24k"];           // multiples of 2^-15
        var path = Path.Combine(_dir, $"roundtrip_{encoding}.wav");
        WavFile.Write(path, wav, 24_000, encoding);
        var (back, sr) = WavFile.Read(path);
        using (back)
        {
            sr.Should().Be(24_000);
            TensorAssert.Close(back, wav, Bitwise, "wav_io", $"wav_io/roundtrip_{encoding}");
        }
        using var reader = new WaveFileReader(path);
        reader.WaveFormat.Channels.Should().Be(1);
        reader.WaveFormat.BitsPerSample.Should().Be(encoding == WavFile.Encoding.Pcm16 ? 16 : 32);
        reader.WaveFormat.Encoding.Should().Be(encoding == WavFile.Encoding.Pcm16 ? WaveFormatEncoding.Pcm : WaveFormatEncoding.IeeeFloat);
    }

    [Fact]
    public void Refuses_to_overwrite_unless_asked()
    {
        var path = Path.Combine(_dir, "exists.wav");
        using var a = full(10, 0.5f);
        using var b = full(20, -0.25f);
        WavFile.Write(path, a, 16_000);
        FluentActions.Invoking(() => WavFile.Write(path, b, 16_000)).Should().Throw<IOException>().WithMessage("*exists*");
        WavFile.Read(path).Audio.shape.Should().Equal(1, 10);
        WavFile.Write(path, b, 16_000, overwrite: true);
        var (back, _) = WavFile.Read(path);
        back.shape.Should().Equal(1, 20);
        back[0, 0].item<float>().Should().Be(-0.25f);
    }

    [Fact]
    public void Pcm16_write_rounds_and_clips_like_a_16_bit_encoder()
    {
        WavFile.ToPcm16(1.0f).Should().Be(short.MaxValue);
        WavFile.ToPcm16(-1.0f).Should().Be(short.MinValue);
        WavFile.ToPcm16(2.5f).Should().Be(short.MaxValue);
        WavFile.ToPcm16(0.5f / 32768).Should().Be(1, "half a step rounds away from zero");
        WavFile.ToPcm16(-0.5f / 32768).Should().Be(-1);
        WavFile.ToPcm16(float.NaN).Should().Be(0);
    }

    /// <summary>One layout per row: bits, float?, channels; the samples are built so every scaling path is exercised.</summary>
    public static TheoryData<int, bool, int> Layouts() => new()
    {
        { 8, false, 1 }, { 16, false, 2 }, { 24, false, 1 }, { 24, false, 2 }, { 32, false, 1 }, { 32, true, 2 }, { 64, true, 1 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Reads_every_pcm_and_float_layout_with_torchaudio_scaling(int bits, bool isFloat, int channels)
    {
        const int frames = 7;
        var expected = new float[channels, frames];
        var format = isFloat ? WaveFormat.CreateCustomFormat(WaveFormatEncoding.IeeeFloat, 22_050, channels, 22_050 * channels * bits / 8, channels * bits / 8, bits)
                             : new WaveFormat(22_050, bits, channels);
        var path = Path.Combine(_dir, $"layout_{bits}_{(isFloat ? "f" : "i")}_{channels}.wav");
        using (var writer = new WaveFileWriter(path, format))
        {
            var bytes = new byte[bits / 8];
            for (int f = 0; f < frames; f++)
                for (int c = 0; c < channels; c++)
                {
                    // Extremes, zero, and values with low-order bits set.
                    int k = (f * channels + c) % 7;
                    switch (bits, isFloat)
                    {
                        case (8, false):
                            byte u = new byte[] { 0, 255, 128, 1, 200, 127, 129 }[k];
                            bytes[0] = u;
                            expected[c, f] = (u - 128) / 128f;
                            break;
                        case (16, false):
                            short s16 = new short[] { short.MinValue, short.MaxValue, 0, 1, -1, 12345, -23456 }[k];
                            BinaryPrimitives.WriteInt16LittleEndian(bytes, s16);
                            expected[c, f] = s16 / 32768f;
                            break;
                        case (24, false):
                            int s24 = new[] { -8388608, 8388607, 0, 1, -1, 1234567, -7654321 }[k];
                            bytes[0] = (byte)s24; bytes[1] = (byte)(s24 >> 8); bytes[2] = (byte)(s24 >> 16);
                            expected[c, f] = s24 / 8388608f;
                            break;
                        case (32, false):
                            int s32 = new[] { int.MinValue, int.MaxValue, 0, 1, -1, 123456789, -987654321 }[k];
                            BinaryPrimitives.WriteInt32LittleEndian(bytes, s32);
                            expected[c, f] = (float)s32 * (1f / 2147483648f); // float32(int) · 2^-31, as torchaudio
                            break;
                        case (32, true):
                            float x32 = new[] { -1f, 0.999f, 0f, 1e-12f, -0.5f, 1.5f, 0.123456789f }[k];
                            BinaryPrimitives.WriteSingleLittleEndian(bytes, x32);
                            expected[c, f] = SoxFloat(x32);
                            break;
                        default:
                            double x64 = new[] { -1.0, 0.999, 0.0, 1e-12, -0.5, -3.0, 0.123456789 }[k];
                            BinaryPrimitives.WriteDoubleLittleEndian(bytes, x64);
                            expected[c, f] = SoxFloat(x64);
                            break;
                    }
                    writer.Write(bytes, 0, bytes.Length);
                }
        }
        var (audio, sr) = WavFile.Read(path);
        using (audio)
        using (var want = tensor(expected))
        {
            sr.Should().Be(22_050);
            TensorAssert.Close(audio, want, Tolerance.Exact("torchaudio's scaling is exact in float32"), "wav_io", $"wav_io/layout_{bits}{(isFloat ? "f" : "")}_{channels}ch");
        }
    }

    /// <summary>Independent statement of sox's float → int32 (round half away, saturate) then torchaudio's · 2^-31.</summary>
    static float SoxFloat(double x)
    {
        double scaled = Math.Round(x * 2147483648.0, MidpointRounding.AwayFromZero);
        long clipped = (long)Math.Clamp(scaled, int.MinValue, int.MaxValue);
        return (float)clipped / 2147483648f;
    }

    [Fact]
    public void Float_samples_keep_torchaudio_semantics_clipping_above_full_scale()
    {
        SoxFloat(1.5).Should().Be(1f, "sox saturates at full scale (2^31 - 1 rounds to 1.0 in float32)");
        SoxFloat(1e-12).Should().Be(0f, "below 2^-32 the 32-bit sox sample is 0");
    }

    public static TheoryData<string> BadFiles() => new() { "empty", "text", "riff_not_wave", "header_only", "truncated_data", "odd_frame", "no_samples", "alaw" };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Malformed_files_raise_AudioFormatException_naming_the_file(string kind)
    {
        var good = File.ReadAllBytes(ReferenceSet.Golden.PathOf("audio/ref_pt_24k.wav"));
        var path = Path.Combine(_dir, kind + ".wav");
        byte[] bytes = kind switch
        {
            "empty" => [],
            "text" => System.Text.Encoding.UTF8.GetBytes("this is not audio\n"),
            "riff_not_wave" => [.. "RIFF"u8, 4, 0, 0, 0, .. "AVI "u8],
            "header_only" => good[..30],
            "truncated_data" => good[..(good.Length / 2)],
            "odd_frame" => WithDataBytes(good, 4, 3),
            "no_samples" => WithDataBytes(good, 0, 0),
            "alaw" => ALawFile(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        File.WriteAllBytes(path, bytes);
        var e = FluentActions.Invoking(() => WavFile.Read(path)).Should().Throw<AudioFormatException>().Which;
        e.Source.Should().Be(path);
        e.Message.Should().StartWith(path);
        e.Fault.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Missing_file_raises_AudioFormatException()
    {
        var path = Path.Combine(_dir, "absent.wav");
        FluentActions.Invoking(() => WavFile.Read(path)).Should().Throw<AudioFormatException>().Which.Fault.Should().Contain("not found");
    }

    /// <summary>A copy of a 16-bit mono WAV whose data chunk holds <paramref name="dataBytes"/> bytes (declared = <paramref name="declared"/>).</summary>
    static byte[] WithDataBytes(byte[] wav, int declared, int dataBytes)
    {
        int data = FindChunk(wav, "data"u8);
        var head = wav[..(data + 8)];
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(data + 4), declared);
        var result = head.Concat(new byte[dataBytes]).ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(4), result.Length - 8);
        return result;
    }

    static int FindChunk(byte[] wav, ReadOnlySpan<byte> id)
    {
        for (int p = 12; p + 8 <= wav.Length;)
        {
            if (wav.AsSpan(p, 4).SequenceEqual(id)) return p;
            p += 8 + BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(p + 4)) + 1 & ~1;
        }
        throw new InvalidDataException("chunk not found");
    }

    static byte[] ALawFile()
    {
        using var ms = new MemoryStream();
        using (var w = new WaveFileWriter(new IgnoreDisposeStream(ms), WaveFormat.CreateALawFormat(8000, 1)))
            w.Write(new byte[] { 1, 2, 3, 4 }, 0, 4);
        return ms.ToArray();
    }
}
