using F5Parity.Asr;
using F5Parity.Errors;

namespace F5Parity.Tests.Asr;

/// <summary>
/// The Whisper.net path end to end on the project's own tiny ggml model (random weights: the text is nonsense, the
/// plumbing is real), and the typed errors for model files Whisper.net must never see.
/// </summary>
public sealed class WhisperTranscriberTests(TinyWhisperModelFixture model) : IClassFixture<TinyWhisperModelFixture>
{
    [Fact]
    public void Written_model_is_small_and_structurally_valid()
    {
        new FileInfo(model.ModelPath).Length.Should().BeLessThan(15L << 20);
        var info = GgmlWhisperModelFile.Validate(model.ModelPath);
        info.HParams.Should().Be(GgmlWhisperHParams.Tiny);
        info.TensorCount.Should().Be(GgmlWhisperHParams.Tiny.TensorCount).And.Be(50);
    }

    [Fact]
    public void Writer_is_deterministic()
    {
        var again = Path.Combine(model.Folder, "again.bin");
        GgmlWhisperModelWriter.Write(again, GgmlWhisperHParams.Tiny, seed: 0);
        File.ReadAllBytes(again).AsSpan().SequenceEqual(File.ReadAllBytes(model.ModelPath)).Should().BeTrue();
        File.Delete(again);
    }

    [Fact]
    public void Whisper_net_loads_the_model_and_transcribes_a_second_of_tone()
    {
        using var transcriber = new WhisperTranscriber(model.ModelPath); // Build() inside: whisper.cpp loads every tensor
        transcriber.Language.Should().Be("pt");
        var result = transcriber.Transcribe(Tone(seconds: 1, hz: 440), WhisperTranscriber.SampleRate);
        Console.WriteLine($"tiny model heard {result.Segments.Count} segment(s): \"{result.Text}\"");

        // The writer scripts the decoder: <0.00> "tudo bem" <1.00> <EOT>, whatever the audio.
        result.Text.Should().Be(GgmlWhisperModelWriter.ScriptedText);
        var segment = result.Segments.Should().ContainSingle().Which;
        segment.Start.Should().Be(TimeSpan.Zero);
        segment.End.Should().Be(TimeSpan.FromSeconds(1));
        segment.Language.Should().Be("pt");
    }

    [Fact]
    public async Task Language_detection_runs_too()
    {
        using var transcriber = new WhisperTranscriber(model.ModelPath, language: "auto");
        var result = await transcriber.TranscribeAsync(Tone(seconds: 1, hz: 220));
        result.Text.Should().Be(GgmlWhisperModelWriter.ScriptedText);
    }

    [Fact]
    public void Missing_model_file_is_a_configuration_error_naming_it()
    {
        var path = Path.Combine(model.Folder, "no-such-model.bin");
        var e = FluentActions.Invoking(() => new WhisperTranscriber(path)).Should().Throw<ConfigurationException>().Which;
        e.Source.Should().Be(path);
        e.Fault.Should().Contain("does not exist");
    }

    [Fact]
    public void A_file_without_the_ggml_magic_is_refused_before_whisper_net()
    {
        var path = Path.Combine(model.Folder, "not-a-model.bin");
        File.WriteAllText(path, "RIFF....WAVEfmt this is not a whisper model");
        var e = FluentActions.Invoking(() => new WhisperTranscriber(path)).Should().Throw<ConfigurationException>().Which;
        e.Source.Should().Be(path);
        e.Fault.Should().Contain("not a whisper.cpp ggml model").And.Contain("0x67676d6c");

        var gguf = Path.Combine(model.Folder, "model.gguf");
        File.WriteAllBytes(gguf, [(byte)'G', (byte)'G', (byte)'U', (byte)'F', 3, 0, 0, 0]);
        FluentActions.Invoking(() => new WhisperTranscriber(gguf)).Should().Throw<ConfigurationException>().WithMessage("*GGUF*");
    }

    [Theory]
    [InlineData(2)]          // inside the magic
    [InlineData(30)]         // inside the hyper-parameters
    [InlineData(20_000)]     // inside the mel filters
    [InlineData(200_000)]    // inside the vocabulary
    [InlineData(3_000_000)]  // inside a tensor's data
    public void A_truncated_model_is_refused_before_whisper_net(int bytes)
    {
        var path = Path.Combine(model.Folder, $"truncated-{bytes}.bin");
        using (var source = File.OpenRead(model.ModelPath))
        using (var target = File.Create(path))
        {
            var buffer = new byte[bytes];
            source.ReadExactly(buffer);
            target.Write(buffer);
        }
        var e = FluentActions.Invoking(() => new WhisperTranscriber(path)).Should().Throw<ConfigurationException>().Which;
        e.Source.Should().Be(path);
        e.Fault.Should().MatchRegex("truncated|too short");
    }

    [Fact]
    public void Garbage_hyper_parameters_are_refused_before_whisper_net()
    {
        var path = CopyWithInt32(offset: 4 + 4 * 9, value: -7, name: "bad-nmels.bin"); // n_mels
        FluentActions.Invoking(() => new WhisperTranscriber(path)).Should().Throw<ConfigurationException>().WithMessage("*n_mels = -7*");
    }

    [Fact]
    public void A_model_whisper_cpp_rejects_is_a_configuration_error_not_a_crash()
    {
        // Structure intact, but n_audio_ctx no longer fits encoder.positional_embedding: whisper.cpp's loader says
        // "wrong size" and Whisper.net's Build() throws, which the transcriber reports with the path.
        var path = CopyWithInt32(offset: 4 + 4 * 1, value: 1000, name: "bad-ctx.bin"); // n_audio_ctx 1500 -> 1000
        var e = FluentActions.Invoking(() => new WhisperTranscriber(path)).Should().Throw<ConfigurationException>().Which;
        e.Source.Should().Be(path);
        e.Fault.Should().Contain("Whisper.net could not load the model");
    }

    [Fact]
    public void Unknown_language_and_wrong_rate_are_refused()
    {
        FluentActions.Invoking(() => new WhisperTranscriber(model.ModelPath, language: "pt-BR"))
            .Should().Throw<ConfigurationException>().Where(e => e.Source == "language");
        using var transcriber = new WhisperTranscriber(model.ModelPath);
        FluentActions.Invoking(() => transcriber.Transcribe(Tone(1, 440, rate: 24000), 24000))
            .Should().Throw<ArgumentException>().WithMessage("*16000 Hz*24000 Hz*");
    }

    string CopyWithInt32(int offset, int value, string name)
    {
        var bytes = File.ReadAllBytes(model.ModelPath);
        BitConverter.GetBytes(value).CopyTo(bytes, offset);
        var path = Path.Combine(model.Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static float[] Tone(double seconds, double hz, int rate = WhisperTranscriber.SampleRate) =>
        Enumerable.Range(0, (int)(seconds * rate)).Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * hz * i / rate))).ToArray();
}
