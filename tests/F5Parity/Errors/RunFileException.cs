namespace F5Parity.Errors;

/// <summary>
/// A file of an F5-TTS run (finetune_gradio's setting.json, a hydra/upstream config.yaml, an infer_cli TOML) that
/// cannot be read or holds a value of the wrong kind: names the file and the key.
/// </summary>
public sealed class RunFileException(string file, string key, string fault, Exception? inner = null)
    : F5ParityInputException(file, key.Length == 0 ? fault : $"key '{key}': {fault}", inner)
{
    /// <summary>The key at fault ("" when the file as a whole cannot be parsed).</summary>
    public string Key { get; } = key;
}
