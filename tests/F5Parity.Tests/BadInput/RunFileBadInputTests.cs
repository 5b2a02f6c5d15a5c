using System.Text;
using F5Parity.Errors;
using F5Parity.RunFiles;

namespace F5Parity.Tests.BadInput;

/// <summary>
/// Malformed run files — finetune_gradio's setting.json, a training config.yaml, an infer_cli TOML, a Vocos
/// config.yaml — each refused with a typed error that names the file and the key, before anything is sampled.
/// </summary>
public sealed class RunFileBadInputTests : IClassFixture<BadInputFolder>
{
    readonly BadInputFolder _dir;
    public RunFileBadInputTests(BadInputFolder dir) => _dir = dir;

    string W(string name, string text) => _dir.Write(name, Encoding.UTF8.GetBytes(text));

    static RunFileException Fault(Action act, string file, string key, string pattern)
    {
        var e = BadInputFolder.ExpectFault<RunFileException>(act, file, pattern);
        e.Key.Should().Be(key);
        return e;
    }

    [Fact]
    public void Setting_json_that_is_not_json_names_the_file()
    {
        var p = W("setting.json", "{ \"exp_name\": \"F5TTS_v1_Base\", ");
        Fault(() => FinetuneSettings.Read(p), p, "", "not valid JSON");
    }

    [Theory]
    [InlineData("{\"exp_name\": 3}", "exp_name", "expected a string")]
    [InlineData("{\"exp_name\": \"F5TTS_Large\"}", "exp_name", "not one of F5TTS_v1_Base, F5TTS_Base")]
    [InlineData("{\"tokenizer_type\": \"bpe\"}", "tokenizer_type", "not pinyin, char or custom")]
    [InlineData("{\"mixed_precision\": \"fp8\"}", "mixed_precision", "not none, fp16 or bf16")]
    [InlineData("{\"finetune\": \"yes\"}", "finetune", "expected true or false")]
    public void Setting_json_value_of_the_wrong_kind_names_the_key(string json, string key, string pattern)
    {
        var p = W($"setting-{key}.json", json);
        Fault(() => FinetuneSettings.Read(p), p, key, pattern);
    }

    [Fact]
    public void Yaml_that_does_not_parse_names_the_line()
    {
        var p = W("broken.yaml", "model:\n  arch:\n    dim: 80\n   depth: [4\n");
        Fault(() => TrainConfigYaml.Read(p), p, "", "not valid YAML \\(line \\d+");
    }

    [Theory]
    [InlineData("model:\n  name: x\n", "model.arch", "missing")]
    [InlineData("model:\n  arch:\n    dim: eighty\n    depth: 4\n    heads: 2\n", "model.arch.dim", "'eighty' is not an integer")]
    [InlineData("model:\n  arch:\n    dim: 80\n    depth: 4\n    heads: 2\n    text_mask_padding: maybe\n", "model.arch.text_mask_padding", "not true or false")]
    [InlineData("model:\n  arch:\n    dim: 80\n    depth: 4\n    heads: 2\n  mel_spec:\n    mel_spec_type: hifigan\n", "model.mel_spec.mel_spec_type", "not vocos or bigvgan")]
    [InlineData("model:\n  backbone: UNetT\n  arch:\n    dim: 80\n    depth: 4\n    heads: 2\n", "model.backbone", "not ported")]
    [InlineData("model: [1, 2]\n", "model", "expected a mapping")]
    public void Training_yaml_value_of_the_wrong_kind_names_the_key(string yaml, string key, string pattern)
    {
        var p = W($"config-{key}.yaml", yaml);
        Fault(() => TrainConfigYaml.Read(p), p, key, pattern);
    }

    [Fact]
    public void Toml_that_does_not_parse_names_the_file()
    {
        var p = W("broken.toml", "model = \"F5TTS_v1_Base\"\nnfe_step = = 8\n");
        Fault(() => InferToml.Read(p), p, "", "not valid TOML");
    }

    [Theory]
    [InlineData("nfe_step = \"eight\"", "nfe_step", "expected a number")]
    [InlineData("vocab_file = 3", "vocab_file", "expected a string")]
    [InlineData("remove_silence = \"no\"", "remove_silence", "expected true or false")]
    [InlineData("[ckpt_file]\nx = 1", "ckpt_file", "expected a string, got a table")]
    public void Toml_value_of_the_wrong_kind_names_the_key(string toml, string key, string pattern)
    {
        var p = W($"infer-{key}.toml", toml);
        Fault(() => InferToml.Read(p), p, key, pattern);
    }

    [Fact]
    public void Infer_cli_argument_that_is_not_a_number_names_the_option()
    {
        var e = Fault(() => InferToml.FromArguments(["--nfe_step", "many"], _dir.Path), "infer_cli arguments", "--nfe_step", "'many' is not a number");
        InferToml.FromArguments(["-v", "v.txt", "--nfe_step", "16", "--remove_silence"], _dir.Path).Values
            .Should().Contain("nfe_step", 16.0).And.Contain("remove_silence", true).And.ContainKey("vocab_file");
    }

    [Fact]
    public void Run_folder_without_saves_is_refused()
    {
        var folder = Directory.CreateDirectory(_dir.File("ckpts-empty")).FullName;
        Fault(() => RunFolder.Find(folder), folder, "", "no model_<N>.pt");
    }

    [Fact]
    public void Vocos_yaml_that_does_not_parse_names_the_file()
    {
        var p = W("vocos.yaml", "backbone:\n  class_path: vocos.models.VocosBackbone\n  init_args: {dim: 512\n");
        Fault(() => F5Parity.Vocoder.VocosConfig.FromYamlFile(p), p, "", "not valid YAML");
    }
}
