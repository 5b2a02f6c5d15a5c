using F5Parity.Pipelines;
using F5Parity.Checkpoints;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using F5Parity.Errors;

namespace F5Parity.Diagnosis.Configuration;

/// <summary>
/// Everything a diagnosis needs, from a JSON file (relative paths resolve against the file's folder) and then from
/// environment variables (relative paths resolve against the working directory), later sources winning. Every
/// setting, its JSON key and its variable are listed in <see cref="Settings"/> (DiagnosisConfig.Settings.cs, and the
/// README table).
/// </summary>
public sealed partial record DiagnosisConfig
{
    public required string Checkpoint { get; init; }
    public string? InferenceCheckpoint { get; init; }
    public string? OtherCheckpoint { get; init; }
    public required string Vocab { get; init; }
    public string? InferenceVocab { get; init; }
    public string ModelConfig { get; init; } = "F5TTS_v1_Base";
    public string? InferenceModelConfig { get; init; }
    public string TrainingText { get; init; } = "pinyin";
    /// <summary>The mel front end of training (the yaml's model.mel_spec.mel_spec_type) and of inference (load_model's mel_spec_type).</summary>
    public string MelSpecType { get; init; } = "vocos";
    public string? InferenceMelSpecType { get; init; }
    /// <summary>The reference clip; empty when <see cref="Codebook"/> renders the reference as a mel.</summary>
    public required string RefAudio { get; init; }
    /// <summary>
    /// A codebook-language fixture's language ("L0", "L1", as <see cref="Fixtures.CodebookFixture"/> defines them):
    /// the reference becomes that language's mel of <see cref="RefText"/> and the token-accuracy metric is enabled.
    /// </summary>
    public string? Codebook { get; init; }
    /// <summary>The vocab that defines the codebook language's token signatures (default: <see cref="Vocab"/>); pinned when a search tries other vocabs.</summary>
    public string? CodebookVocab { get; init; }
    public required string RefText { get; init; }
    public string? GenText { get; init; }
    public string? GroundTruth { get; init; }
    public string Vocoder { get; init; } = "griffin-lim";
    public string? WhisperModel { get; init; }
    public string WhisperLanguage { get; init; } = "pt";
    public bool FoldAccents { get; init; }
    public string Metric { get; init; } = "auto";
    public string Device { get; init; } = "cpu";
    public string Dtype { get; init; } = "auto";
    public string TrainingDtype { get; init; } = "float32";
    public int Nfe { get; init; } = 32;
    public double Cfg { get; init; } = 2.0;
    public double? Sway { get; init; } = -1.0;
    public int? InferenceNfe { get; init; }
    public double? InferenceCfg { get; init; }
    public double? InferenceSway { get; init; }
    public long Seed { get; init; } = 42;
    /// <summary>Noise draws per run (seed, seed + 1000, …): the score is their mean, "good" the majority.</summary>
    public int Seeds { get; init; } = 1;
    /// <summary>How inference was called: "cli" (preprocess_ref_audio_text first) or "direct" (infer_process by hand).</summary>
    public string InferenceFlow { get; init; } = "cli";
    public string Out { get; init; } = "artifacts/f5parity";
    /// <summary>Where this configuration came from (file and variables), for the report.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>The configuration file used when none is given: fixtures/diagnose-default.json.</summary>
    public const string ConfigVariable = "F5PARITY_CONFIG";

    /// <summary>Reads <paramref name="file"/>, then applies the F5PARITY_* variables of <paramref name="environment"/>.</summary>
    /// <paramref name="under"/>: settings read from a run's own files (absolute paths), applied first so that the file
    /// and the variables override them.
    public static DiagnosisConfig Load(string file, IReadOnlyDictionary<string, string?> environment, string workingDirectory,
        IReadOnlyDictionary<string, string?>? under = null, string? underSource = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var sources = new List<string>();
        if (under is not null)
        {
            foreach (var (k, v) in under)
                if (Settings.Any(s => s.Key == k)) values[k] = v;
                else throw new ConfigurationException(underSource ?? "run files", $"unknown setting '{k}'");
            sources.Add(underSource ?? "run files");
        }
        if (file.Length > 0) { sources.Add(Path.GetFullPath(file)); ReadJson(file, values); } // "" = no file: the run's files only
        foreach (var s in Settings)
            if (environment.TryGetValue(s.Variable, out var v) && !string.IsNullOrEmpty(v))
            {
                values[s.Key] = s.IsPath && !IsNamedValue(s.Key, v) ? Path.GetFullPath(v, workingDirectory) : v;
                sources.Add(s.Variable);
            }
        return Build(values, file.Length > 0 ? file : underSource ?? "run files", sources);
    }

    static bool IsNamedValue(string key, string v) =>
        (key is "modelConfig" or "inferenceModelConfig" && v is "F5TTS_v1_Base" or "F5TTS_Base" or "v0" or "v1" or ModelConfigRef.FixtureV1 or ModelConfigRef.FixtureV0) ||
        (key == "vocoder" && v == "griffin-lim");

    static void ReadJson(string file, Dictionary<string, string?> values)
    {
        if (!File.Exists(file)) throw new ConfigurationException(file, "configuration file not found");
        JsonObject obj;
        try { obj = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new ConfigurationException(file, "expected a JSON object"); }
        catch (JsonException e) { throw new ConfigurationException(file, $"not valid JSON ({e.Message})", e); }
        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        foreach (var (key, node) in obj)
        {
            if (key.StartsWith('$') || key.StartsWith("//", StringComparison.Ordinal)) continue;
            var setting = Settings.FirstOrDefault(s => s.Key == key);
            if (setting.Key is null) throw new ConfigurationException(file, $"unknown key '{key}' (known: {string.Join(", ", Settings.Select(s => s.Key))})");
            string? v = node switch
            {
                null => null,
                JsonValue jv when jv.TryGetValue<string>(out var s) => s,
                _ => node.ToJsonString(),
            };
            values[key] = v is not null && setting.IsPath && !IsNamedValue(key, v) ? Path.GetFullPath(v, dir) : v;
        }
    }

    static DiagnosisConfig Build(Dictionary<string, string?> v, string file, List<string> sources)
    {
        string Req(string k) => v.GetValueOrDefault(k) is { Length: > 0 } s ? s
            : throw new ConfigurationException(file, $"'{k}' is required ({Settings.First(x => x.Key == k).Variable})");
        string? Opt(string k) => v.GetValueOrDefault(k) is { Length: > 0 } s && s != "null" ? s : null;
        int Int(string k, int d) => Opt(k) is string s ? int.Parse(s, CultureInfo.InvariantCulture) : d;
        double Dbl(string k, double d) => Opt(k) is string s ? double.Parse(s, CultureInfo.InvariantCulture) : d;
        double? NDbl(string k, double? d) => !v.ContainsKey(k) ? d : Opt(k) is string s && s != "none" ? double.Parse(s, CultureInfo.InvariantCulture) : null;
        try
        {
            var config = new DiagnosisConfig
            {
                Checkpoint = Req("checkpoint"), InferenceCheckpoint = Opt("inferenceCheckpoint"), OtherCheckpoint = Opt("otherCheckpoint"),
                Vocab = Req("vocab"), InferenceVocab = Opt("inferenceVocab"),
                ModelConfig = Opt("modelConfig") ?? "F5TTS_v1_Base", InferenceModelConfig = Opt("inferenceModelConfig"),
                TrainingText = Opt("trainingText") ?? "pinyin",
                MelSpecType = Opt("melSpecType") ?? "vocos", InferenceMelSpecType = Opt("inferenceMelSpecType"),
                Codebook = Opt("codebook"), CodebookVocab = Opt("codebookVocab"),
                RefAudio = Opt("codebook") is null ? Req("refAudio") : Opt("refAudio") ?? "", RefText = Req("refText"), GenText = Opt("genText"),
                GroundTruth = Opt("groundTruth"), Vocoder = Opt("vocoder") ?? "griffin-lim",
                WhisperModel = Opt("whisperModel"), WhisperLanguage = Opt("whisperLanguage") ?? "pt",
                FoldAccents = Opt("foldAccents") is string f && bool.Parse(f),
                Metric = Opt("metric") ?? "auto", Device = Opt("device") ?? "cpu",
                Dtype = Opt("dtype") ?? "auto", TrainingDtype = Opt("trainingDtype") ?? "float32",
                Nfe = Int("nfe", SamplerSettings.Upstream.NfeStep), Cfg = Dbl("cfg", SamplerSettings.Upstream.CfgStrength), Sway = NDbl("sway", SamplerSettings.Upstream.SwaySamplingCoef),
                InferenceNfe = Opt("inferenceNfe") is string n ? int.Parse(n, CultureInfo.InvariantCulture) : null,
                InferenceCfg = Opt("inferenceCfg") is string c ? double.Parse(c, CultureInfo.InvariantCulture) : null,
                InferenceSway = NDbl("inferenceSway", null),
                Seed = Int("seed", 42), Seeds = Int("seeds", 1) is int seeds && seeds >= 1 ? seeds : throw new ConfigurationException(file, $"seeds must be at least 1, got {Opt("seeds")}"), InferenceFlow = ParseFlow(Opt("inferenceFlow") ?? "cli", file), Out = Opt("out") ?? "artifacts/f5parity",
                Sources = sources,
            };
            Validate(config, file); // refused here, naming the file and the key, before anything loads
            return config;
        }
        catch (FormatException e) { throw new ConfigurationException(file, $"a number or boolean could not be read ({e.Message})", e); }
    }

    /// <summary>The primary-metric names <see cref="Metric"/> accepts.</summary>
    public static readonly IReadOnlyList<string> MetricNames = ["auto", "whisper", "mel-dtw", "token-accuracy"];

    /// <summary>
    /// Every enumerated setting checked once, before anything loads: an unknown device, dtype, flow, metric, text
    /// processing or model preset is a <see cref="ConfigurationException"/> naming the key and the allowed values.
    /// </summary>
    static void Validate(DiagnosisConfig c, string file)
    {
        if (!IsDevice(c.Device))
            throw new ConfigurationException(file, $"device '{c.Device}': expected cpu, cuda or cuda:<index>");
        if (!c.Dtype.Equals("auto", StringComparison.OrdinalIgnoreCase)) PrecisionExtensions.Parse(c.Dtype, $"{file}: dtype");
        PrecisionExtensions.Parse(c.TrainingDtype, $"{file}: trainingDtype");
        if (!MetricNames.Contains(c.Metric))
            throw new ConfigurationException(file, $"metric '{c.Metric}': expected {string.Join(", ", MetricNames)}");
        TextProcessingExtensions.Parse(c.TrainingText, $"{file}: trainingText");
        foreach (var (key, type) in new[] { ("melSpecType", c.MelSpecType), ("inferenceMelSpecType", c.InferenceMelSpecType) })
            if (type is not null && type is not ("vocos" or "bigvgan"))
                throw new ConfigurationException(file, $"{key} '{type}': expected vocos or bigvgan");
        foreach (var (key, name) in new[] { ("modelConfig", c.ModelConfig), ("inferenceModelConfig", c.InferenceModelConfig) })
            if (name is not null && !ModelConfigRef.IsValidName(name))
                throw new ConfigurationException(file, $"{key} '{name}': expected a model_config .json file or one of {string.Join(", ", ModelConfigRef.Presets)}");
    }

    static bool IsDevice(string d) =>
        d.Equals("cpu", StringComparison.OrdinalIgnoreCase) || d.Equals("cuda", StringComparison.OrdinalIgnoreCase)
        || (d.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase) && int.TryParse(d.AsSpan(5), out var i) && i >= 0);

    /// <summary>
    /// A release-style .safetensors holds only EMA weights, so the "trainer" run of such a file samples them (there
    /// are no raw weights to sample; upstream's load with use_ema=False fails on it).
    /// </summary>
    public static bool IsEmaOnly(string checkpoint) => TrainerCheckpoint.IsEmaOnly(checkpoint);

    /// <summary>How the dataset stored its text, from <see cref="TrainingText"/>.</summary>
    public TextProcessing DatasetText => TextProcessingExtensions.Parse(TrainingText, "trainingText");

    static string ParseFlow(string v, string file) => v.Trim().ToLowerInvariant() switch
    {
        "cli" or "api" or "gradio" => "cli",
        "direct" or "infer_process" => "direct",
        _ => throw new ConfigurationException(file, $"inferenceFlow '{v}': expected cli or direct"),
    };

    /// <summary>The two runs this configuration describes (<see cref="ConfiguredPaths"/>: the trainer-vs-infer rule).</summary>
    public DiagnosisPaths ToPaths(Func<string, int> vocabSize) => ConfiguredPaths.From(this, vocabSize);
}
