using System.Globalization;
using F5Parity.Errors;

namespace F5Parity.Vocoder;

/// <summary>
/// The hyper-parameters of a vocos-mel-24khz style <c>config.yaml</c> that decoding needs: the
/// <c>backbone.init_args</c> of <c>vocos.models.VocosBackbone</c> and the <c>head.init_args</c> of
/// <c>vocos.heads.ISTFTHead</c>. Property names are the YAML keys in PascalCase.
/// </summary>
public sealed record VocosConfig
{
    public int InputChannels { get; init; } = 100;
    public int Dim { get; init; } = 512;
    public int IntermediateDim { get; init; } = 1536;
    public int NumLayers { get; init; } = 8;
    /// <summary><c>head.init_args.dim</c>: must equal the backbone's <see cref="Dim"/>.</summary>
    public int HeadDim { get; init; } = 512;
    public int NFft { get; init; } = 1024;
    public int HopLength { get; init; } = 256;
    /// <summary><c>head.init_args.padding</c>: "center" (torch.istft) or "same"; only "center" is ported.</summary>
    public string Padding { get; init; } = "center";
    /// <summary>
    /// <c>feature_extractor.init_args.sample_rate</c>: the rate of the mel features and of the decoded audio
    /// (24000 when the config does not say).
    /// </summary>
    public int SampleRate { get; init; } = 24_000;

    /// <summary>charactr/vocos-mel-24khz, the vocoder upstream F5-TTS loads by default.</summary>
    public static VocosConfig Mel24kHz => new();

    /// <summary>
    /// Reads and validates <c>config.yaml</c> (YamlDotNet, through <see cref="RunFiles.YamlTree"/>); a file that is not
    /// YAML raises <see cref="RunFileException"/>, a missing or unsupported value <see cref="ConfigurationException"/>,
    /// both naming the file and the key.
    /// </summary>
    public static VocosConfig FromYamlFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException(path, "vocos config.yaml not found");
        var y = RunFiles.YamlTree.Read(path);

        string ClassPath(string section) => y.Scalar($"{section}.class_path") ?? throw new ConfigurationException(path, $"missing '{section}.class_path'");
        if (ClassPath("backbone") != "vocos.models.VocosBackbone")
            throw new ConfigurationException(path, $"backbone.class_path '{ClassPath("backbone")}' is not ported (only vocos.models.VocosBackbone)");
        if (ClassPath("head") != "vocos.heads.ISTFTHead")
            throw new ConfigurationException(path, $"head.class_path '{ClassPath("head")}' is not ported (only vocos.heads.ISTFTHead)");
        foreach (var section in new[] { "backbone", "head" })
            if (y.Mapping($"{section}.init_args") is null) throw new ConfigurationException(path, $"missing '{section}.init_args'");
        if (y.Scalar("backbone.init_args.adanorm_num_embeddings") is not null)
            throw new ConfigurationException(path, "backbone.init_args.adanorm_num_embeddings is set: the conditional (AdaLayerNorm) backbone is not ported");

        int Int(string key, int? fallback = null)
        {
            var v = y.Scalar(key);
            if (v is null) return fallback ?? throw new ConfigurationException(path, $"missing '{key}'");
            if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) && i > 0) return i;
            throw new ConfigurationException(path, $"'{key}' = '{v}' is not a positive integer");
        }

        var config = new VocosConfig
        {
            InputChannels = Int("backbone.init_args.input_channels"),
            Dim = Int("backbone.init_args.dim"),
            IntermediateDim = Int("backbone.init_args.intermediate_dim"),
            NumLayers = Int("backbone.init_args.num_layers"),
            HeadDim = Int("head.init_args.dim"),
            NFft = Int("head.init_args.n_fft"),
            HopLength = Int("head.init_args.hop_length"),
            // ISTFTHead's own default is "same".
            Padding = y.Scalar("head.init_args.padding") ?? "same",
            SampleRate = Int("feature_extractor.init_args.sample_rate", 24_000),
        };
        if (config.HeadDim != config.Dim)
            throw new ConfigurationException(path, $"head.init_args.dim {config.HeadDim} differs from backbone.init_args.dim {config.Dim}");
        if (config.Padding != "center")
            throw new ConfigurationException(path, $"head.init_args.padding '{config.Padding}': only 'center' (torch.istft center=True) is ported");
        return config;
    }
}
