using System.Text.Json;
using System.Text.Json.Nodes;
using F5Parity.Errors;

namespace F5Parity.RunFiles;

/// <summary>
/// finetune_gradio's <c>ckpts/&lt;project&gt;/setting.json</c> (train/finetune_gradio.py <c>save_settings</c>): the
/// keys that decide what the trainer sampled. <c>exp_name</c> picks the model (F5TTS_v1_Base, F5TTS_Base, E2TTS_Base),
/// <c>tokenizer_type</c>/<c>tokenizer_file</c> the vocab (a file makes the tokenizer "custom"), <c>mixed_precision</c>
/// accelerate's autocast ("fp16", "bf16", "none"). Absent keys take load_settings' defaults, said so in the source.
/// </summary>
public sealed record FinetuneSettings(
    string File, Sourced<string> ExpName, Sourced<string> TokenizerType, Sourced<string> TokenizerFile,
    Sourced<string> MixedPrecision, Sourced<bool> Finetune, Sourced<string> FileCheckpointTrain)
{
    public const string FileName = "setting.json";

    public static FinetuneSettings Read(string path)
    {
        if (!System.IO.File.Exists(path)) throw new RunFileException(path, "", "setting.json not found");
        JsonObject obj;
        try { obj = JsonNode.Parse(System.IO.File.ReadAllText(path)) as JsonObject ?? throw new RunFileException(path, "", "expected a JSON object"); }
        catch (JsonException e) { throw new RunFileException(path, "", $"not valid JSON (line {e.LineNumber + 1}: {e.Message})", e); }

        Sourced<string> Str(string key, string fallback)
        {
            if (!obj.TryGetPropertyValue(key, out var n) || n is null) return new(fallback, Provenance.Assumed($"finetune_gradio's default `{key}` = \"{fallback}\""));
            if (n is JsonValue v && v.TryGetValue<string>(out var s)) return new(s, Provenance.From(path, key));
            throw new RunFileException(path, key, $"expected a string, got {n.ToJsonString()}");
        }
        Sourced<bool> Bool(string key, bool fallback)
        {
            if (!obj.TryGetPropertyValue(key, out var n) || n is null) return new(fallback, Provenance.Assumed($"finetune_gradio's default `{key}` = {fallback}"));
            if (n is JsonValue v && v.TryGetValue<bool>(out var b)) return new(b, Provenance.From(path, key));
            throw new RunFileException(path, key, $"expected true or false, got {n.ToJsonString()}");
        }

        var settings = new FinetuneSettings(path,
            Str("exp_name", "F5TTS_v1_Base"), Str("tokenizer_type", "pinyin"), Str("tokenizer_file", ""),
            Str("mixed_precision", "fp16"), Bool("finetune", true), Str("file_checkpoint_train", ""));
        if (settings.ExpName.Value is not ("F5TTS_v1_Base" or "F5TTS_Base" or "E2TTS_Base"))
            throw new RunFileException(path, "exp_name", $"'{settings.ExpName.Value}' is not one of F5TTS_v1_Base, F5TTS_Base, E2TTS_Base (finetune_cli's choices)");
        if (settings.ExpName.Value == "E2TTS_Base")
            throw new RunFileException(path, "exp_name", "E2TTS_Base (UNetT) is not ported; only the DiT models are");
        if (settings.TokenizerType.Value is not ("pinyin" or "char" or "custom"))
            throw new RunFileException(path, "tokenizer_type", $"'{settings.TokenizerType.Value}' is not pinyin, char or custom");
        if (settings.MixedPrecision.Value is not ("none" or "no" or "fp16" or "bf16"))
            throw new RunFileException(path, "mixed_precision", $"'{settings.MixedPrecision.Value}' is not none, fp16 or bf16");
        return settings;
    }
}
