using System.Text.Json.Nodes;
using F5Parity.Audio;
using F5Parity.Audio.Pydub;
using F5Parity.Errors;
using F5Parity.Pipelines;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Pipelines;

/// <summary>
/// <c>preprocess_ref_audio_text</c>: the text rule, and the audio half (pydub's silence split, 12 s clip, edge trim and
/// 50 ms pad) against the WAV upstream's own function wrote for the CLI-flow samples.
/// </summary>
public sealed class PreprocessRefAudioTextTests
{
    static ReferenceSet Set => ReferenceSet.Golden;

    /// <summary>pydub works on the integer samples and upstream's export is 16-bit PCM: nothing is rounded, so nothing may differ.</summary>
    static readonly Tolerance Bitwise = Tolerance.Exact("pydub slices and appends integer samples; the exported 16-bit WAV is read back exactly");

    [Fact]
    public void Reference_text_ends_like_upstreams_cli_flow_made_it()
    {
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(Set.PathOf("common/preprocess_ref_audio_text.json")))!;
        PreprocessRefAudioText.RefText(json["ref_text_in"]!.GetValue<string>()).Should().Be(json["ref_text_out"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Olá. ", "Olá. ")]
    [InlineData("你好。", "你好。")]
    [InlineData("Olá.", "Olá. ")]
    [InlineData("Olá", "Olá. ")]
    [InlineData("Tudo bem?", "Tudo bem?. ")]
    public void Suffix_rule(string input, string expected) => PreprocessRefAudioText.RefText(input).Should().Be(expected);

    [Theory]
    [MemberData(nameof(ReferenceSet.GoldenCaseNames), MemberType = typeof(ReferenceSet))]
    public void Reference_audio_equals_what_upstreams_preprocess_wrote(string caseName)
    {
        // input: the clip the direct infer_process call loaded; expected: the file the CLI flow loaded instead
        var original = Set.Metadata(Path.Combine(caseName, "sample_infer_direct.safetensors"))["ref_audio"];
        var preprocessed = Set.Metadata(Path.Combine(caseName, "sample_infer_cliflow.safetensors"))["ref_audio"];
        var (expected, expectedRate) = WavFile.Read(Set.PathOf(preprocessed));
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(Set.PathOf("common/preprocess_ref_audio_text.json")))!;

        using var result = PreprocessRefAudioText.Audio(Set.PathOf(original));

        result.SampleRate.Should().Be(expectedRate).And.Be(json["output_sr"]!.GetValue<int>());
        result.Audio.shape[^1].Should().Be(json["output_samples"]!.GetValue<long>());
        TensorAssert.Close(result.Audio, expected, Bitwise, "preprocess_ref_audio", $"{caseName}/preprocess_ref_audio_text");
        result.ClipStep.Should().Be(0, "the clip is under 12 s");
    }

    [Fact]
    public void Fifty_ms_of_silence_made_at_11025_Hz_becomes_ratecvs_frame_count_at_24_kHz()
    {
        // 551 zero frames at 11025 Hz; ratecv (147 -> 320 after the gcd) emits floor(320 * 550 / 147) + 1 = 1198 frames
        var s = AudioSegment.Silent(50);
        s.FrameCount.Should().Be(551);
        var speech = AudioSegment.FromSamples(Enumerable.Repeat(1000, 2400).ToArray(), 2, 24_000, 1);
        var joined = speech.Append(s);
        joined.FrameCount.Should().Be(2400 + 1198);
        joined.Data.Skip(2400).Should().OnlyContain(v => v == 0);
    }

    [Fact]
    public void Ratecv_interpolates_like_audioop()
    {
        // audioop.ratecv(b'\x00\x00\x10\x00\x20\x00', 2, 1, 2, 3, None)[0] for samples 0, 16, 32: the first output
        // is the first input; each next output interpolates the last two inputs at the phase d (measured with CPython 3.11)
        var o = Audioop.RateCv([0, 16, 32], 2, 1, 2, 3);
        o.Should().Equal(0, 10, 21, 32);
    }

    [Fact]
    public void Silent_reference_becomes_50_ms_of_silence_as_upstream_makes_it()
    {
        var path = WriteWav(new int[24_000 * 2], 24_000);
        using var result = PreprocessRefAudioText.Audio(path);
        result.SampleRate.Should().Be(11_025, "no part survives, so the result is pydub's 11025 Hz silence");
        result.Audio.shape[^1].Should().Be(551);
        result.Audio.abs().max().item<float>().Should().Be(0f);
    }

    [Fact]
    public void Float_wav_is_refused_with_the_file_and_the_reason()
    {
        var dir = Directory.CreateTempSubdirectory("f5parity-pre-").FullName;
        var path = Path.Combine(dir, "float.wav");
        WavFile.Write(path, zeros(1, 2400), 24_000, WavFile.Encoding.Float32);
        var act = () => PreprocessRefAudioText.Audio(path);
        act.Should().Throw<AudioFormatException>().Where(e => e.Message.Contains(path) && e.Message.Contains("float"));
    }

    static string WriteWav(int[] samples, int rate)
    {
        var dir = Directory.CreateTempSubdirectory("f5parity-pre-").FullName;
        var path = Path.Combine(dir, "ref.wav");
        using var t = tensor(samples.Select(s => s / 32768f).ToArray());
        WavFile.Write(path, t, rate);
        return path;
    }
}
