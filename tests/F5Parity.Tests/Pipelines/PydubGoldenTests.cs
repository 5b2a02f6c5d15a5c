using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using F5Parity.Audio.Pydub;
using F5Parity.Pipelines;
using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Pipelines;

/// <summary>
/// The pydub emulation against real pydub (0.24.1, the version that made golden/upstream) on clips the upstream reference
/// does not cover: cut at a long silence, at a short one, hard at 12 s, resampled up to pydub's 11025 Hz, stereo 24-bit,
/// 8-bit, all silent. <c>scripts/make_pydub_golden.py</c> ran upstream's audio steps with pydub's own functions and
/// stored the SHA-256 of the samples pydub would export; the clips are rebuilt here from the same integer-only recipe
/// (their WAV bytes are checked against the script's hash first, so a generator drift cannot pass as a port bug).
/// </summary>
public sealed class PydubGoldenTests
{
    static readonly JsonArray Cases = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Golden, "pydub", "cases.json")))!["cases"]!;

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c!["name"]!.GetValue<string>());
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Preprocess_audio_equals_what_pydub_made(string name)
    {
        var c = Cases.Single(x => x!["name"]!.GetValue<string>() == name)!;
        int rate = c["rate"]!.GetValue<int>(), channels = c["channels"]!.GetValue<int>(), width = c["bytesPerSample"]!.GetValue<int>();
        var wav = WavBytes(rate, channels, width, Samples(rate, (JsonArray)c["parts"]!));
        Sha256(wav).Should().Be(c["inputWavSha256"]!.GetValue<string>(), "the clip must be the one the script gave pydub");
        var dir = Directory.CreateTempSubdirectory("f5parity-pydub-").FullName;
        var path = Path.Combine(dir, name + ".wav");
        File.WriteAllBytes(path, wav);

        var (output, clipStep) = PreprocessRefAudioText.Apply(AudioSegment.FromWav(path));

        var expected = c["output"]!;
        output.FrameRate.Should().Be(expected["frameRate"]!.GetValue<int>());
        output.Channels.Should().Be(expected["channels"]!.GetValue<int>());
        output.SampleWidth.Should().Be(expected["sampleWidth"]!.GetValue<int>());
        output.FrameCount.Should().Be(expected["frames"]!.GetValue<int>());
        clipStep.Should().Be(expected["clipStep"]!.GetValue<int>());
        Sha256(RawBytes(output)).Should().Be(expected["rawSha256"]!.GetValue<string>(), "the exported samples must be pydub's, bit for bit");
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>The script's generator: a triangle wave and an LCG noise, every division on non-negative operands.</summary>
    static List<int> Samples(int rate, JsonArray parts)
    {
        var o = new List<int>();
        long lcg = 12345;
        long i = 0;
        foreach (var p in parts)
        {
            string kind = p!["kind"]!.GetValue<string>();
            int ms = p["ms"]!.GetValue<int>(), amp = p["amplitude"]!.GetValue<int>();
            for (long k = 0; k < (long)rate * ms / 1000; k++, i++)
            {
                if (kind == "tone")
                {
                    long period = rate / 220, t = i % period;
                    o.Add((int)(4 * Math.Abs(t - period / 2) * amp / period - amp));
                }
                else
                {
                    lcg = (lcg * 1103515245 + 12345) % 2147483648;
                    o.Add((int)((lcg >> 16) % (2 * amp + 1) - amp));
                }
            }
        }
        return o;
    }

    /// <summary>The bytes Python's <c>wave</c> module writes: a 44-byte PCM header, second channel = −first.</summary>
    static byte[] WavBytes(int rate, int channels, int width, List<int> values)
    {
        var data = new byte[values.Count * channels * width];
        int pos = 0;
        foreach (int v in values)
            for (int c = 0; c < channels; c++)
            {
                int s = c == 0 ? v : -v;
                if (width == 1) data[pos++] = (byte)(s + 128);
                else for (int b = 0; b < width; b++) data[pos++] = (byte)(s >> (8 * b));
            }
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.ASCII, leaveOpen: true))
        {
            w.Write("RIFF"u8); w.Write(36 + data.Length); w.Write("WAVE"u8);
            w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)channels); w.Write(rate);
            w.Write(rate * channels * width); w.Write((short)(channels * width)); w.Write((short)(width * 8));
            w.Write("data"u8); w.Write(data.Length); w.Write(data);
        }
        return ms.ToArray();
    }

    /// <summary>pydub's <c>raw_data</c>: little-endian samples of the segment's width.</summary>
    static byte[] RawBytes(AudioSegment s)
    {
        var o = new byte[s.Data.Length * s.SampleWidth];
        for (int i = 0; i < s.Data.Length; i++)
        {
            var span = o.AsSpan(i * s.SampleWidth, s.SampleWidth);
            switch (s.SampleWidth)
            {
                case 1: span[0] = (byte)s.Data[i]; break;
                case 2: BinaryPrimitives.WriteInt16LittleEndian(span, (short)s.Data[i]); break;
                default: BinaryPrimitives.WriteInt32LittleEndian(span, s.Data[i]); break;
            }
        }
        return o;
    }

    static string Sha256(byte[] b) => Convert.ToHexString(SHA256.HashData(b)).ToLowerInvariant();
}
