using System.Globalization;
using F5Parity.Errors;

namespace F5Parity.RunFiles;

/// <summary>
/// What a run's own files say about training and inference, as diagnosis settings (the JSON keys of
/// <see cref="Diagnosis.Configuration.DiagnosisConfig.Settings"/>, paths absolute), each with its source. A setting the files do not
/// give is absent, and <see cref="Missing"/> says which facts that leaves open (the setup search's cue).
/// </summary>
public sealed record RunSetup(RunFolder Run, IReadOnlyDictionary<string, Sourced<string>> Values, IReadOnlyList<string> Missing,
    FinetuneSettings? Settings, TrainConfigYaml? TrainYaml, InferToml? Infer, Sourced<string>? TrainMelSpecType)
{
    public static RunSetup Read(RunFolder run, InferToml? infer)
    {
        var v = new Dictionary<string, Sourced<string>>(StringComparer.Ordinal);
        var missing = new List<string>();
        var settings = run.SettingsFile is null ? null : FinetuneSettings.Read(run.SettingsFile);
        var yaml = run.HydraConfig is null ? null : TrainConfigYaml.Read(run.HydraConfig);

        v["checkpoint"] = new(run.NewestSave, $"from the run folder: its newest save {Path.GetFileName(run.NewestSave)}");

        // Model options: the yaml's arch, else setting.json's exp_name on the checkpoint's tensor sizes.
        if (yaml is not null)
            v["modelConfig"] = new(ModelPreset.NameOrFile(yaml.ArchOptions.Value, yaml.Arch with { TextNumEmbeds = 0 }, ModelPreset.SizesOf(run.NewestSave).TextNumEmbeds), yaml.ArchOptions.Source);
        else
        {
            var exp = settings?.ExpName ?? new("F5TTS_v1_Base", Provenance.Assumed("no setting.json or .hydra/config.yaml; finetune_gradio's default exp_name"));
            var version = exp.Value == "F5TTS_Base" ? "v0" : "v1";
            var sizes = ModelPreset.SizesOf(run.NewestSave);
            v["modelConfig"] = new(ModelPreset.NameOrFile(version, sizes with { TextNumEmbeds = 0 }, sizes.TextNumEmbeds), $"{exp.Source} (options), tensor sizes from {Path.GetFileName(run.NewestSave)}");
            if (settings is null) missing.Add("modelConfig: no file states the training options (v0/v1)");
        }

        // Tokenizer and vocab.
        var tokenizer = settings?.TokenizerType ?? yaml?.Tokenizer ?? new("pinyin", Provenance.Assumed("no file states the tokenizer; upstream's default pinyin"));
        string? vocabFile = settings is { TokenizerFile.Value.Length: > 0 } ? ResolveNear(run, settings.TokenizerFile.Value) : yaml?.TokenizerPath.Value is string tp ? ResolveNear(run, tp) : null;
        if (vocabFile is not null)
            v["vocab"] = new(vocabFile, settings is { TokenizerFile.Value.Length: > 0 } ? settings.TokenizerFile.Source : yaml!.TokenizerPath.Source);
        else
        {
            var dataset = run.DatasetFolder ?? run.DatasetFor(yaml?.DatasetName.Value ?? run.Project, tokenizer.Value);
            var vocab = dataset is null ? null : Path.Combine(dataset, "vocab.txt");
            if (vocab is not null && File.Exists(vocab))
                v["vocab"] = new(vocab, run.DatasetFolder is not null ? "from the dataset folder given (--dataset)" : $"from the dataset folder data/{Path.GetFileName(dataset)}");
            else missing.Add($"vocab: no tokenizer file and no data/{yaml?.DatasetName.Value ?? run.Project}_{tokenizer.Value}/vocab.txt in reach");
        }
        v["trainingText"] = tokenizer.Value switch
        {
            "char" => new("raw", $"{tokenizer.Source}: a char dataset stores its text unconverted"),
            "custom" => new("pinyin", Provenance.Assumed("a custom-tokenizer dataset prepared by finetune_gradio (convert_char_to_pinyin)")),
            _ => new("pinyin", $"{tokenizer.Source}: the prepare scripts store convert_char_to_pinyin's output"),
        };
        if (settings is not null)
            v["trainingDtype"] = new(settings.MixedPrecision.Value switch { "fp16" => "autocast-float16", "bf16" => "autocast-bfloat16", _ => "float32" }, $"{settings.MixedPrecision.Source} (accelerate --mixed_precision)");

        if (yaml is not null) v["melSpecType"] = yaml.MelSpecType;
        if (infer is not null) AddInference(run, infer, v, missing);
        return new RunSetup(run, v, missing, settings, yaml, infer, yaml?.MelSpecType);
    }

    static void AddInference(RunFolder run, InferToml t, Dictionary<string, Sourced<string>> v, List<string> missing)
    {
        v["inferenceFlow"] = new("cli", $"from {Path.GetFileName(t.File)}: infer_cli preprocesses the reference");
        if (t.String("ckpt_file") is string ck) v["inferenceCheckpoint"] = new(ck, t.SourceOf("ckpt_file"));
        else missing.Add("inferenceCheckpoint: the TOML names no ckpt_file (infer_cli downloads the release model)");
        if (t.String("vocab_file") is string vf) v["inferenceVocab"] = new(vf, t.SourceOf("vocab_file"));
        else missing.Add("inferenceVocab: the TOML names no vocab_file (infer_cli uses the release vocab, Emilia_ZH_EN)");
        if (t.String("model_cfg") is string mc)
        {
            var y = TrainConfigYaml.Read(mc);
            v["inferenceModelConfig"] = new(ModelPreset.NameOrFile(y.ArchOptions.Value, y.Arch with { TextNumEmbeds = 0 }, ModelPreset.SizesOf(v.GetValueOrDefault("inferenceCheckpoint")?.Value ?? run.NewestSave).TextNumEmbeds), $"{t.SourceOf("model_cfg")} → {y.ArchOptions.Source}");
        }
        else
        {
            var model = t.String("model") ?? "F5TTS_v1_Base";
            string source = t.String("model") is null ? Provenance.Assumed("infer_cli's default model F5TTS_v1_Base") : t.SourceOf("model");
            if (model is not ("F5TTS_v1_Base" or "F5TTS_Base" or "F5-TTS"))
                throw new RunFileException(t.File, "model", $"'{model}' is not a DiT model this tool runs (F5TTS_v1_Base, F5TTS_Base)");
            var sizes = ModelPreset.SizesOf(v.GetValueOrDefault("inferenceCheckpoint")?.Value ?? run.NewestSave);
            v["inferenceModelConfig"] = new(ModelPreset.NameOrFile(model == "F5TTS_v1_Base" ? "v1" : "v0", sizes with { TextNumEmbeds = 0 }, sizes.TextNumEmbeds), source);
        }
        void Num(string key, string setting)
        {
            // infer_cli reads `args.x or config.get(x, default)`: a 0 falls back to the default.
            if (t.Number(key) is double d && d != 0) v[setting] = new(d.ToString(CultureInfo.InvariantCulture), t.SourceOf(key));
        }
        // infer_cli passes vocoder_name as load_model's mel_spec_type (infer_cli.py:215,299-301)
        if (t.String("vocoder_name") is string vn) v["inferenceMelSpecType"] = new(vn, t.SourceOf("vocoder_name"));
        else v["inferenceMelSpecType"] = new("vocos", Provenance.Assumed("infer_cli's default vocoder_name vocos (its mel_spec_type)"));
        Num("nfe_step", "inferenceNfe"); Num("cfg_strength", "inferenceCfg"); Num("sway_sampling_coef", "inferenceSway");
        if (t.String("ref_audio") is string ra) v["refAudio"] = new(ra, t.SourceOf("ref_audio"));
        if (t.String("ref_text") is string rt) v["refText"] = new(rt, t.SourceOf("ref_text"));
        if (t.String("gen_file") is string gf)
            v["genText"] = new(File.Exists(gf) ? File.ReadAllText(gf).Trim() : throw new RunFileException(t.File, "gen_file", $"'{gf}' not found"), t.SourceOf("gen_file"));
        else if (t.String("gen_text") is string gt) v["genText"] = new(gt, t.SourceOf("gen_text"));
        if (t.String("device") is string dev) v["device"] = new(dev, t.SourceOf("device"));
    }

    static string ResolveNear(RunFolder run, string path) => Path.GetFullPath(path, run.Folder);

    /// <summary>The settings as the configuration loader takes them (key → value).</summary>
    public IReadOnlyDictionary<string, string?> AsSettings() => Values.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.Value);
}
