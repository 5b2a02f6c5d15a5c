using F5Parity.Audio;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Errors;
using static TorchSharp.torch;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// The main job stops before anything loads on a bad input, with a typed error naming the file: a silent reference
/// (upstream's RMS step divides by zero), a generation text with nothing speakable, an output folder that is not a bundle.
/// The checkpoint named here does not exist: the guards must fire before it is read.
/// </summary>
public sealed class InputGuardTests
{
    static readonly Dictionary<string, string?> NoEnv = [];

    static readonly string Vocab = DiagnosisConfig.Load(DiagnosisSession.DefaultConfigFile, NoEnv, "/").Vocab;

    static string Dir()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"f5parity-guards-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    static DiagnosisConfig Config(string dir, string refAudio, string genText)
    {
        var file = Path.Combine(dir, "c.json");
        File.WriteAllText(file, $$"""{"checkpoint": "missing.pt", "vocab": "{{Vocab}}", "refAudio": "{{refAudio}}", "refText": "uma frase", "genText": "{{genText}}"}""");
        return DiagnosisConfig.Load(file, NoEnv, dir);
    }

    [Fact]
    public void A_silent_reference_is_an_audio_error_naming_the_wav_before_anything_loads()
    {
        var dir = Dir();
        var wav = Path.Combine(dir, "silent.wav");
        using (var silence = zeros(1, 24_000)) WavFile.Write(wav, silence, 24_000);
        var act = () => new Diagnoser(Config(dir, wav, "outra frase"));
        act.Should().Throw<AudioFormatException>().Which.Message.Should().Contain(wav);
    }

    [Fact]
    public void A_generation_text_with_nothing_speakable_is_a_text_error_naming_the_setting()
    {
        var dir = Dir();
        var wav = Path.Combine(dir, "tone.wav");
        using (var tone = (arange(24_000).to(ScalarType.Float32) * 0.05).sin().unsqueeze(0) * 0.3) WavFile.Write(wav, tone, 24_000);
        var act = () => new Diagnoser(Config(dir, wav, "... !!!"));
        act.Should().Throw<TextInputException>().Which.Message.Should().Contain("genText");
    }

    [Fact]
    public void An_existing_folder_that_is_not_a_bundle_is_refused_and_left_untouched()
    {
        var dir = Dir();
        var userFile = Path.Combine(dir, "notes.txt");
        File.WriteAllText(userFile, "mine");
        var act = () => ReportWriter.CheckFolder(dir, force: false);
        act.Should().Throw<ConfigurationException>().Which.Message.Should().Contain(dir);
        File.ReadAllText(userFile).Should().Be("mine");
        ReportWriter.CheckFolder(dir, force: true); // --force accepts it
    }
}
