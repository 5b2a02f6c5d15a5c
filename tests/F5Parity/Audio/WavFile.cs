using System.Buffers.Binary;
using F5Parity.Errors;
using NAudio.Wave;
using static TorchSharp.torch;

namespace F5Parity.Audio;

/// <summary>
/// WAV input/output scaled like upstream's <c>torchaudio.load</c> / <c>torchaudio.save</c> (torchaudio 0.13, sox_io
/// backend). Reading goes through NAudio's <see cref="WaveFileReader"/> (PCM 8/16/24/32-bit, IEEE float 32/64-bit,
/// WAVE_FORMAT_EXTENSIBLE, any channel count and rate). Samples are mapped the way sox hands them to torchaudio:
/// every format becomes a 32-bit sox sample s (PCM left-aligned: 16-bit v → v·2^16, unsigned 8-bit u → (u − 128)·2^24;
/// float x → round(x·2^31) with clipping), then <c>float32(s) · 2^-31</c> — so 16-bit PCM is exactly v / 32768.
/// Every fault of the file (missing, empty, not RIFF/WAVE, unsupported encoding, truncated data, no samples) raises
/// <see cref="AudioFormatException"/> naming the file.
/// </summary>
public static class WavFile
{
    /// <summary>Sample encodings <see cref="Write"/> can produce.</summary>
    public enum Encoding
    {
        /// <summary>16-bit signed PCM: round(x · 32768) clamped to [−32768, 32767].</summary>
        Pcm16,
        /// <summary>32-bit IEEE float, values stored as given.</summary>
        Float32,
    }

    /// <summary>
    /// The file's samples as stored (interleaved little-endian bytes) with its format, after every check
    /// <see cref="Read"/> makes; for code that must see the integer samples, like pydub's
    /// (<see cref="Pydub.AudioSegment.FromWav"/>).
    /// </summary>
    public static RawWav ReadRaw(string path)
    {
        if (!File.Exists(path)) throw new AudioFormatException(path, "file not found");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioFormatException(path, $"cannot be read ({e.Message})", e);
        }
        if (bytes.Length == 0) throw new AudioFormatException(path, "empty file (0 bytes)");
        if (bytes.Length < 12 || !IsRiffWave(bytes))
            throw new AudioFormatException(path, "not a WAV file (no RIFF/WAVE header)");

        // NAudio trims a data chunk that runs past the end of the file; torchaudio/sox would warn. A reference clip cut
        // short is almost certainly a broken copy, so refuse it.
        var (dataStart, dataDeclared) = DataChunk(bytes);
        if (dataStart >= 0 && dataDeclared != uint.MaxValue && dataStart + dataDeclared > bytes.Length)
            throw new AudioFormatException(path, $"truncated: the data chunk declares {dataDeclared} bytes but only {bytes.Length - dataStart} are present");

        WaveFormat format;
        byte[] data;
        long declared;
        try
        {
            using var reader = new WaveFileReader(new MemoryStream(bytes, writable: false));
            format = reader.WaveFormat;
            declared = reader.Length;
            data = new byte[declared];
            int read = 0, n;
            while (read < data.Length && (n = reader.Read(data, read, data.Length - read)) > 0) read += n;
            if (read < declared)
                throw new AudioFormatException(path, $"truncated: the data chunk declares {declared} bytes but only {read} are present");
        }
        catch (AudioFormatException) { throw; }
        catch (Exception e) when (e is FormatException or EndOfStreamException or InvalidDataException or ArgumentException
                                   or IOException or InvalidOperationException or OverflowException)
        {
            throw new AudioFormatException(path, $"not a readable WAV file ({e.Message})", e);
        }

        var (encoding, bits) = SampleEncoding(path, format);
        int channels = format.Channels;
        if (channels <= 0) throw new AudioFormatException(path, "the fmt chunk declares 0 channels");
        int bytesPerSample = bits / 8;
        int frameBytes = bytesPerSample * channels;
        if (format.BlockAlign != frameBytes)
            throw new AudioFormatException(path, $"block align {format.BlockAlign} does not match {channels} channel(s) of {bits}-bit samples");
        if (data.Length % frameBytes != 0)
            throw new AudioFormatException(path, $"truncated: the data chunk ({data.Length} bytes) ends inside a sample frame of {frameBytes} bytes");
        long frames = data.Length / frameBytes;
        if (frames == 0) throw new AudioFormatException(path, "contains no audio samples (empty data chunk)");
        if (format.SampleRate <= 0) throw new AudioFormatException(path, $"invalid sample rate {format.SampleRate}");
        return new RawWav(path, channels, format.SampleRate, bits, encoding == Kind.Float, data);
    }

    /// <summary>
    /// Reads a WAV file into a float32 tensor (channels, samples) and its sample rate, like
    /// <c>torchaudio.load(path)</c> (channels_first, normalize=True).
    /// </summary>
    public static (Tensor Audio, int SampleRate) Read(string path)
    {
        var raw = ReadRaw(path);
        int channels = raw.Channels, bytesPerSample = raw.Bits / 8, frameBytes = bytesPerSample * channels;
        long frames = raw.Frames;
        var encoding = raw.IsFloat ? Kind.Float : Kind.Pcm;
        int bits = raw.Bits;
        var data = raw.Data;

        // Interleaved frames -> (channels, samples).
        var samples = new float[channels * frames];
        var span = data.AsSpan();
        for (long f = 0; f < frames; f++)
            for (int c = 0; c < channels; c++)
            {
                var s = span.Slice((int)(f * frameBytes + c * bytesPerSample), bytesPerSample);
                samples[c * frames + f] = ToTorchaudioFloat(SoxSample(s, encoding, bits));
            }
        return (tensor(samples, new long[] { channels, frames }), raw.SampleRate);
    }

    /// <summary>
    /// Writes mono audio ((samples) or (1, samples), any float dtype) as a WAV file; refuses to replace an existing
    /// file unless <paramref name="overwrite"/> is set.
    /// </summary>
    public static void Write(string path, Tensor audio, int sampleRate, Encoding encoding = Encoding.Pcm16, bool overwrite = false)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), $"sample rate must be positive, got {sampleRate}");
        if (!(audio.dim() == 1 || (audio.dim() == 2 && audio.shape[0] == 1)))
            throw new ArgumentException($"WavFile.Write writes mono audio, (samples) or (1, samples); got [{string.Join(", ", audio.shape)}]");
        if (File.Exists(path) && !overwrite) throw new IOException($"{path}: exists already; refusing to overwrite it");
        float[] values;
        using (var flat = audio.detach().cpu().to(ScalarType.Float32).flatten().contiguous()) values = flat.data<float>().ToArray();

        var format = encoding == Encoding.Pcm16 ? new WaveFormat(sampleRate, 16, 1) : WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);
        byte[] payload;
        if (encoding == Encoding.Pcm16)
        {
            payload = new byte[values.Length * 2];
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteInt16LittleEndian(payload.AsSpan(i * 2), ToPcm16(values[i]));
        }
        else
        {
            payload = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(i * 4), values[i]);
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var stream = new FileStream(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
        using var writer = new WaveFileWriter(stream, format);
        writer.Write(payload, 0, payload.Length);
    }

    /// <summary>Float to 16-bit PCM: round half away from zero of x · 32768, clamped to the int16 range.</summary>
    public static short ToPcm16(float x)
    {
        if (float.IsNaN(x)) return 0;
        double v = Math.Round((double)x * 32768.0, MidpointRounding.AwayFromZero);
        return (short)Math.Clamp(v, short.MinValue, short.MaxValue);
    }

    /// <summary>Offset of the first byte of the <c>data</c> chunk and its declared size, or (−1, 0) if there is none.</summary>
    static (long Start, uint Declared) DataChunk(byte[] b)
    {
        long p = 12;
        while (p + 8 <= b.Length)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)p + 4));
            if (b.AsSpan((int)p, 4).SequenceEqual("data"u8)) return (p + 8, size);
            p += 8 + size + (size & 1);                       // chunks are word aligned
        }
        return (-1, 0);
    }

    static bool IsRiffWave(ReadOnlySpan<byte> b) =>
        (b[..4].SequenceEqual("RIFF"u8) || b[..4].SequenceEqual("RF64"u8)) && b.Slice(8, 4).SequenceEqual("WAVE"u8);

    enum Kind { Pcm, Float }

    /// <summary>A WAV file's format and its interleaved sample bytes.</summary>
    public sealed record RawWav(string Path, int Channels, int SampleRate, int Bits, bool IsFloat, byte[] Data)
    {
        public long Frames => Data.Length / (Bits / 8 * Channels);
    }

    static (Kind Kind, int Bits) SampleEncoding(string path, WaveFormat format)
    {
        var tag = format.Encoding;
        int bits = format.BitsPerSample;
        if (format is WaveFormatExtensible ext)
        {
            // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT share the tail 0000-0010-8000-00aa00389b71.
            var sub = ext.SubFormat;
            tag = sub == new Guid("00000001-0000-0010-8000-00aa00389b71") ? WaveFormatEncoding.Pcm
                : sub == new Guid("00000003-0000-0010-8000-00aa00389b71") ? WaveFormatEncoding.IeeeFloat
                : WaveFormatEncoding.Unknown;
        }
        return tag switch
        {
            WaveFormatEncoding.Pcm when bits is 8 or 16 or 24 or 32 => (Kind.Pcm, bits),
            WaveFormatEncoding.IeeeFloat when bits is 32 or 64 => (Kind.Float, bits),
            WaveFormatEncoding.Pcm or WaveFormatEncoding.IeeeFloat =>
                throw new AudioFormatException(path, $"unsupported sample size: {bits}-bit {tag}"),
            _ => throw new AudioFormatException(path, $"unsupported WAV encoding {tag} (only PCM and IEEE float are read)"),
        };
    }

    /// <summary>One little-endian sample as sox's 32-bit sample (what torchaudio's sox backend receives).</summary>
    static int SoxSample(ReadOnlySpan<byte> s, Kind kind, int bits) => (kind, bits) switch
    {
        (Kind.Pcm, 8) => (s[0] - 128) << 24,
        (Kind.Pcm, 16) => BinaryPrimitives.ReadInt16LittleEndian(s) << 16,
        (Kind.Pcm, 24) => ((s[2] << 24) | (s[1] << 16) | (s[0] << 8)),
        (Kind.Pcm, 32) => BinaryPrimitives.ReadInt32LittleEndian(s),
        (Kind.Float, 32) => FloatToSox(BinaryPrimitives.ReadSingleLittleEndian(s)),
        _ => FloatToSox(BinaryPrimitives.ReadDoubleLittleEndian(s)),
    };

    /// <summary>
    /// sox's SOX_FLOAT_64BIT_TO_SAMPLE: x · 2^31 rounded half away from zero, saturated to the int32 range.
    /// </summary>
    static int FloatToSox(double x)
    {
        if (double.IsNaN(x)) return 0;
        double d = x * 2147483648.0;
        if (d < 0) return d <= int.MinValue - 0.5 ? int.MinValue : (int)(d - 0.5);
        return d >= int.MaxValue + 0.5 ? int.MaxValue : (int)(d + 0.5);
    }

    /// <summary>torchaudio's <c>convert_to_tensor</c>: the int32 sample to float32, times 2^-31.</summary>
    static float ToTorchaudioFloat(int s) => (float)s * (1.0f / 2147483648.0f);
}
