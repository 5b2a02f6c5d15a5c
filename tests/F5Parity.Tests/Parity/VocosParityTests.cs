using F5Parity.Checkpoints;
using F5Parity.Errors;
using F5Parity.Tests.TestUtilities;
using F5Parity.Vocoder;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// The Vocos vocoder (gemelo-ai/vocos) as upstream loads it (<c>load_vocoder("vocos", is_local=True)</c>): a tiny
/// random-weight vocos-mel-24khz-style model in common/vocos_tiny/ must decode the reference mels to upstream's waves,
/// whether its weights come from pytorch_model.bin or from the .safetensors copy.
/// </summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class VocosParityTests
{
    /// <summary>
    /// Backbone (conv, LayerNorm, GELU, Linear) and head (exp, atan2, complex exp, istft) in float32; the istft's
    /// overlap-add and the FFT round differently between torch 1.13 and libtorch 2.10.
    /// </summary>
    static Tolerance Decode => Float32Budget.Pass(CaseModels.VocoderDepth, "one Vocos decode: backbone + istft, different FFT library");

    const string Folder = "common/vocos_tiny";
    const string DecodeFile = "common/vocos_tiny/vocos_tiny_decode.safetensors";
    static string ConfigPath => ReferenceSet.Current.PathOf($"{Folder}/config.yaml");
    static string BinPath => ReferenceSet.Current.PathOf($"{Folder}/pytorch_model.bin");
    static string SafetensorsPath => ReferenceSet.Current.PathOf($"{Folder}/vocos_tiny_state_dict.safetensors");

    static readonly Lazy<Vocos> FromBin = new(() => Vocos.Load(ConfigPath, BinPath));
    static readonly Lazy<Vocos> FromSafetensors = new(() => Vocos.Load(ConfigPath, SafetensorsPath));

    public static TheoryData<string, string> Cases() => new()
    {
        { "mel_in", "wave_out" },
        { "mel_rand_in", "wave_rand_out" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_equals_upstream(string melName, string waveName)
    {
        var t = ReferenceSet.Current.Tensors(DecodeFile);
        var mel = t[melName];                                     // (b, n_mels, frames)
        using var wave = FromBin.Value.Decode(mel);
        wave.shape.Should().Equal(mel.shape[0], (mel.shape[2] - 1) * FromBin.Value.Config.HopLength);
        TensorAssert.Close(wave, t[waveName], Decode, "vocos", $"vocos/{waveName}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bin_and_safetensors_loaders_decode_identically(string melName, string _)
    {
        var mel = ReferenceSet.Current.Tensors(DecodeFile)[melName];
        using var a = FromBin.Value.Decode(mel);
        using var b = FromSafetensors.Value.Decode(mel);
        TensorAssert.Close(b, a, Tolerance.Exact("same weights, same computation"), "vocos", $"vocos/{melName}/safetensors_vs_bin");
    }

    [Fact]
    public void FromFolder_loads_config_yaml_and_pytorch_model_bin()
    {
        var mel = ReferenceSet.Current.Tensors(DecodeFile)["mel_rand_in"];
        using var vocos = Vocos.FromFolder(ReferenceSet.Current.PathOf(Folder));
        using var a = vocos.Decode(mel);
        using var b = FromBin.Value.Decode(mel);
        TensorAssert.Close(a, b, Tolerance.Exact("same files, same computation"), "vocos", "vocos/from_folder_vs_load");
    }

    [Fact]
    public void Loaded_weights_equal_the_checkpoint_and_cover_every_key_but_the_feature_extractor()
    {
        var file = SafetensorsFile.Load(SafetensorsPath);
        var own = FromBin.Value.state_dict();
        own.Keys.Should().BeEquivalentTo(file.Keys.Where(k => !k.StartsWith("feature_extractor.", StringComparison.Ordinal)));
        foreach (var (name, tensor) in own)
            TensorAssert.Close(tensor, file[name], Tolerance.Exact("copied weights"), "vocos_load", $"vocos_load/{name}");
        foreach (var t in file.Values) t.Dispose();
    }

    [Fact]
    public void Config_yaml_gives_the_tiny_architecture_and_matches_the_tensor_shapes()
    {
        var config = VocosConfig.FromYamlFile(ConfigPath);
        var sd = ReferenceSet.Current.Tensors($"{Folder}/vocos_tiny_state_dict.safetensors");
        var embed = sd["backbone.embed.weight"];                  // (dim, input_channels, 7)
        config.Dim.Should().Be((int)embed.shape[0]);
        config.InputChannels.Should().Be((int)embed.shape[1]);
        config.IntermediateDim.Should().Be((int)sd["backbone.convnext.0.pwconv1.weight"].shape[0]);
        config.NumLayers.Should().Be(sd.Keys.Count(k => k.StartsWith("backbone.convnext.", StringComparison.Ordinal) && k.EndsWith(".gamma", StringComparison.Ordinal)));
        config.NFft.Should().Be((int)sd["head.out.weight"].shape[0] - 2);
        config.NFft.Should().Be((int)sd["head.istft.window"].shape[0]);
        config.Padding.Should().Be("center");
    }

    [Fact]
    public void Bad_weights_and_configs_raise_typed_errors_naming_the_file()
    {
        var dir = Path.Combine(RepoPaths.Artifacts, "vocos-bad-input", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            // Weights of another shape than config.yaml implies.
            var sd = SafetensorsFile.Load(SafetensorsPath);
            var shrunk = new Dictionary<string, Tensor>(sd) { ["head.out.bias"] = sd["head.out.bias"][..10] };
            var wrongShape = Path.Combine(dir, "wrong_shape.safetensors");
            SafetensorsFile.Save(wrongShape, shrunk);
            var e1 = FluentActions.Invoking(() => Vocos.Load(ConfigPath, wrongShape)).Should().Throw<CheckpointFormatException>().Which;
            e1.Source.Should().Be(wrongShape);
            e1.Fault.Should().Contain("head.out.bias");

            var missing = Path.Combine(dir, "missing.safetensors");
            SafetensorsFile.Save(missing, sd.Where(kv => kv.Key != "backbone.norm.weight").ToDictionary(kv => kv.Key, kv => kv.Value));
            FluentActions.Invoking(() => Vocos.Load(ConfigPath, missing)).Should().Throw<CheckpointFormatException>()
                .Which.Fault.Should().Contain("backbone.norm.weight");

            var extra = Path.Combine(dir, "extra.safetensors");
            SafetensorsFile.Save(extra, new Dictionary<string, Tensor>(sd) { ["backbone.convnext.2.gamma"] = sd["backbone.convnext.0.gamma"] });
            FluentActions.Invoking(() => Vocos.Load(ConfigPath, extra)).Should().Throw<CheckpointFormatException>()
                .Which.Fault.Should().Contain("backbone.convnext.2.gamma");

            var notPickle = Path.Combine(dir, "pytorch_model.bin");
            File.WriteAllText(notPickle, "not a torch checkpoint");
            FluentActions.Invoking(() => Vocos.Load(ConfigPath, notPickle)).Should().Throw<CheckpointFormatException>()
                .Which.Source.Should().Be(notPickle);

            var sameConfig = Path.Combine(dir, "same_padding.yaml");
            File.WriteAllText(sameConfig, File.ReadAllText(ConfigPath).Replace("padding: center", "padding: same"));
            FluentActions.Invoking(() => Vocos.Load(sameConfig, SafetensorsPath)).Should().Throw<ConfigurationException>()
                .Which.Fault.Should().Contain("padding");

            var noDim = Path.Combine(dir, "no_dim.yaml");
            File.WriteAllText(noDim, string.Join('\n', File.ReadAllLines(ConfigPath).Where(l => !l.TrimStart().StartsWith("intermediate_dim:"))));
            FluentActions.Invoking(() => VocosConfig.FromYamlFile(noDim)).Should().Throw<ConfigurationException>()
                .Which.Fault.Should().Contain("intermediate_dim");

            FluentActions.Invoking(() => Vocos.FromFolder(dir + "-absent")).Should().Throw<F5ParityInputException>();
            foreach (var t in sd.Values) t.Dispose();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
