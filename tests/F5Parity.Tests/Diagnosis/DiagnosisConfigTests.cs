using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Errors;
using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Diagnosis;

/// <summary>Reading the diagnosis configuration: the JSON file, then F5PARITY_* variables.</summary>
public sealed class DiagnosisConfigTests
{
    static readonly Dictionary<string, string?> NoEnv = [];

    [Fact]
    public void Default_file_resolves_paths_against_its_folder_and_every_file_exists()
    {
        var c = DiagnosisConfig.Load(DiagnosisSession.DefaultConfigFile, NoEnv, "/");
        foreach (var p in new[] { c.Checkpoint, c.Vocab, c.ModelConfig, c.RefAudio, c.Vocoder, c.GroundTruth! })
            (File.Exists(p) || Directory.Exists(p)).Should().BeTrue(p);
        c.Checkpoint.Should().StartWith(RepoPaths.Root);
    }

    [Fact]
    public void Variables_override_the_file_and_resolve_against_the_working_directory()
    {
        var env = new Dictionary<string, string?>
        {
            ["F5PARITY_CHECKPOINT"] = "ckpts/model_9.pt", ["F5PARITY_NFE"] = "16", ["F5PARITY_GEN_TEXT"] = "Bom dia.",
            ["F5PARITY_INFER_MODEL_CONFIG"] = "F5TTS_Base",
        };
        var c = DiagnosisConfig.Load(DiagnosisSession.DefaultConfigFile, env, "/data");
        c.Checkpoint.Should().Be("/data/ckpts/model_9.pt");
        c.Nfe.Should().Be(16);
        c.GenText.Should().Be("Bom dia.");
        c.InferenceModelConfig.Should().Be("F5TTS_Base");
        c.Sources.Should().Contain("F5PARITY_CHECKPOINT").And.Contain("F5PARITY_NFE");
        var paths = c.ToPaths(_ => 113);
        paths.Infer.ModelConfig.Config.TextMaskPadding.Should().BeFalse();
        paths.Infer.ModelConfig.Config.PeAttnHead.Should().Be(1);
        paths.Infer.NfeStep.Should().Be(16);
        paths.Infer.Precision.Should().Be(Precision.Float32, "dtype auto on the CPU is upstream's float32");
    }

    [Fact]
    public void Unknown_keys_and_missing_required_settings_name_the_file_and_the_variable()
    {
        var dir = DiagnosisSession.Scratch("config");
        var unknown = Path.Combine(dir, "unknown.json");
        File.WriteAllText(unknown, """{"checkpoint": "a.pt", "chekpoint": "b.pt"}""");
        var act = () => DiagnosisConfig.Load(unknown, NoEnv, dir);
        act.Should().Throw<ConfigurationException>().Which.Message.Should().Contain(unknown).And.Contain("chekpoint");

        var missing = Path.Combine(dir, "missing.json");
        File.WriteAllText(missing, """{"checkpoint": "a.pt"}""");
        var act2 = () => DiagnosisConfig.Load(missing, NoEnv, dir);
        act2.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("F5PARITY_VOCAB");
    }

    [Theory]
    [InlineData("seeds", "0", "seeds must be at least 1")]
    [InlineData("inferenceFlow", "\"notebook\"", "expected cli or direct")]
    [InlineData("trainingText", "\"pinyn\"", "expected pinyin, pinyin-legacy or raw")]
    // each enumerated setting is refused before anything loads, naming the key and the allowed values
    [InlineData("device", "\"gpu\"", "device 'gpu': expected cpu, cuda or cuda:<index>")]
    [InlineData("dtype", "\"float64\"", "dtype 'float64': expected float32")]
    [InlineData("trainingDtype", "\"fp8\"", "trainingDtype")]
    [InlineData("metric", "\"wer\"", "metric 'wer': expected auto, whisper, mel-dtw, token-accuracy")]
    [InlineData("modelConfig", "\"F5TTS_Small\"", "F5TTS_Small': expected a model_config .json file or one of F5TTS_v1_Base")]
    public void Out_of_range_settings_name_the_file_and_the_fault(string key, string json, string fault)
    {
        var dir = DiagnosisSession.Scratch("config");
        var file = Path.Combine(dir, $"bad-{key}.json");
        File.WriteAllText(file, $$"""{"checkpoint": "a.pt", "vocab": "v.txt", "refAudio": "r.wav", "refText": "t", "{{key}}": {{json}}}""");
        var act = () => DiagnosisConfig.Load(file, NoEnv, dir);
        act.Should().Throw<ConfigurationException>().Which.Message.Should().Contain(file).And.Contain(fault);
    }
}
