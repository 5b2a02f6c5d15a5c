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

    /// <summary>Reads and validates <c>config.yaml</c>; any fault raises <see cref="ConfigurationException"/> naming the file.</summary>
    public static VocosConfig FromYamlFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException(path, "vocos config.yaml not found");
        var root = MiniYaml.Parse(path, File.ReadAllLines(path));

        string ClassPath(string section) =>
            (root.TryGetValue(section, out var s) && s is Dictionary<string, object?> d && d.TryGetValue("class_path", out var c) ? c as string : null)
            ?? throw new ConfigurationException(path, $"missing '{section}.class_path'");
        Dictionary<string, object?> InitArgs(string section) =>
            root.TryGetValue(section, out var s) && s is Dictionary<string, object?> d && d.TryGetValue("init_args", out var a) && a is Dictionary<string, object?> args
                ? args : throw new ConfigurationException(path, $"missing '{section}.init_args'");

        if (ClassPath("backbone") != "vocos.models.VocosBackbone")
            throw new ConfigurationException(path, $"backbone.class_path '{ClassPath("backbone")}' is not ported (only vocos.models.VocosBackbone)");
        if (ClassPath("head") != "vocos.heads.ISTFTHead")
            throw new ConfigurationException(path, $"head.class_path '{ClassPath("head")}' is not ported (only vocos.heads.ISTFTHead)");
        var backbone = InitArgs("backbone");
        var head = InitArgs("head");
        if (backbone.TryGetValue("adanorm_num_embeddings", out var ada) && ada is not null)
            throw new ConfigurationException(path, "backbone.init_args.adanorm_num_embeddings is set: the conditional (AdaLayerNorm) backbone is not ported");

        int Int(Dictionary<string, object?> args, string section, string key, int? fallback = null)
        {
            if (!args.TryGetValue(key, out var v) || v is null)
                return fallback ?? throw new ConfigurationException(path, $"missing '{section}.init_args.{key}'");
            if (v is string s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) && i > 0) return i;
            throw new ConfigurationException(path, $"'{section}.init_args.{key}' = '{v}' is not a positive integer");
        }

        var config = new VocosConfig
        {
            InputChannels = Int(backbone, "backbone", "input_channels"),
            Dim = Int(backbone, "backbone", "dim"),
            IntermediateDim = Int(backbone, "backbone", "intermediate_dim"),
            NumLayers = Int(backbone, "backbone", "num_layers"),
            HeadDim = Int(head, "head", "dim"),
            NFft = Int(head, "head", "n_fft"),
            HopLength = Int(head, "head", "hop_length"),
            // ISTFTHead's own default is "same".
            Padding = head.TryGetValue("padding", out var p) && p is string ps ? ps : "same",
            SampleRate = root.TryGetValue("feature_extractor", out var fe) && fe is Dictionary<string, object?> fd
                         && fd.TryGetValue("init_args", out var fa) && fa is Dictionary<string, object?> feArgs
                ? Int(feArgs, "feature_extractor", "sample_rate", 24_000) : 24_000,
        };
        if (config.HeadDim != config.Dim)
            throw new ConfigurationException(path, $"head.init_args.dim {config.HeadDim} differs from backbone.init_args.dim {config.Dim}");
        if (config.Padding != "center")
            throw new ConfigurationException(path, $"head.init_args.padding '{config.Padding}': only 'center' (torch.istft center=True) is ported");
        return config;
    }
}
