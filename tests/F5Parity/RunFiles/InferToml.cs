using System.Globalization;
using F5Parity.Errors;
using Tomlyn;
using Tomlyn.Model;

namespace F5Parity.RunFiles;

/// <summary>
/// infer_cli's <c>-c config.toml</c> (infer/examples/basic/basic.toml): each key infer_cli reads, or null when absent
/// (infer_cli then uses its own default; <see cref="RunSetup"/> says which). Relative paths resolve against the TOML's
/// folder. Also built from infer_cli's command-line arguments (<see cref="FromArguments"/>), same names.
/// </summary>
public sealed record InferToml(string File, IReadOnlyDictionary<string, object?> Values)
{
    /// <summary>The keys read, as infer_cli spells them.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "model", "model_cfg", "ckpt_file", "vocab_file", "ref_audio", "ref_text", "gen_text", "gen_file",
        "remove_silence", "vocoder_name", "target_rms", "cross_fade_duration", "nfe_step", "cfg_strength",
        "sway_sampling_coef", "speed", "fix_duration", "no_legacy_text", "device",
    ];

    static readonly HashSet<string> PathKeys = ["model_cfg", "ckpt_file", "vocab_file", "ref_audio", "gen_file"];
    static readonly HashSet<string> NumberKeys = ["target_rms", "cross_fade_duration", "cfg_strength", "sway_sampling_coef", "speed", "fix_duration", "nfe_step"];
    static readonly HashSet<string> BoolKeys = ["remove_silence", "no_legacy_text"];

    public static InferToml Read(string path)
    {
        if (!System.IO.File.Exists(path)) throw new RunFileException(path, "", "inference TOML not found");
        TomlTable table;
        try { table = TomlSerializer.Deserialize<TomlTable>(System.IO.File.ReadAllText(path)) ?? new TomlTable(); }
        catch (TomlException e) { throw new RunFileException(path, "", $"not valid TOML ({e.Message})", e); }
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in Keys)
        {
            if (!table.TryGetValue(key, out var v)) continue;
            values[key] = Check(path, key, v, dir);
        }
        return new InferToml(path, values);
    }

    /// <summary>infer_cli's arguments (<c>--vocab_file x</c>, <c>-m F5TTS_Base</c>, flags for booleans) read the same way.</summary>
    public static InferToml FromArguments(IReadOnlyList<string> args, string workingDirectory)
    {
        var shortNames = new Dictionary<string, string> { ["-m"] = "model", ["-mc"] = "model_cfg", ["-p"] = "ckpt_file", ["-v"] = "vocab_file", ["-r"] = "ref_audio", ["-s"] = "ref_text", ["-t"] = "gen_text", ["-f"] = "gen_file" };
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            var key = shortNames.GetValueOrDefault(args[i]) ?? (args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..].Replace('-', '_') : args[i]);
            if (!Keys.Contains(key)) throw new RunFileException("infer_cli arguments", args[i], "not an infer_cli option this tool reads");
            if (BoolKeys.Contains(key)) { values[key] = true; continue; }
            if (i + 1 >= args.Count) throw new RunFileException("infer_cli arguments", args[i], "needs a value");
            string raw = args[++i];
            object v = NumberKeys.Contains(key)
                ? double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new RunFileException("infer_cli arguments", args[i - 1], $"'{raw}' is not a number")
                : raw;
            values[key] = Check("infer_cli arguments", key, v, workingDirectory);
        }
        return new InferToml("infer_cli arguments", values);
    }

    static object? Check(string file, string key, object? v, string dir)
    {
        if (NumberKeys.Contains(key))
            return v switch { long l => (double)l, double d => d, _ => throw new RunFileException(file, key, $"expected a number, got {Describe(v)}") };
        if (BoolKeys.Contains(key))
            return v is bool b ? b : throw new RunFileException(file, key, $"expected true or false, got {Describe(v)}");
        if (v is not string s) throw new RunFileException(file, key, $"expected a string, got {Describe(v)}");
        return PathKeys.Contains(key) && s.Length > 0 ? Path.GetFullPath(s, dir) : s;
    }

    static string Describe(object? v) => v switch { null => "nothing", string s => $"\"{s}\"", TomlTable => "a table", TomlArray => "an array", _ => v.ToString() ?? "" };

    public string? String(string key) => Values.GetValueOrDefault(key) as string is { Length: > 0 } s ? s : null;
    public double? Number(string key) => Values.GetValueOrDefault(key) as double?;
    public bool? Flag(string key) => Values.GetValueOrDefault(key) as bool?;
    public string SourceOf(string key) => Provenance.From(File, key);
}
