using F5Parity.Errors;
using F5Parity.Diagnosis.Configuration;

namespace F5Parity.CheckpointTier;

/// <summary>
/// Finds the configuration the checkpoint tier runs on. <c>dotnet test</c> runs the tests in their bin folder, so a
/// relative <c>F5PARITY_CONFIG</c> (and relative F5PARITY_* paths) resolve against the directory the command was
/// started from: <c>F5PARITY_CWD</c> when set, else the shell's <c>PWD</c> (inherited by the test host), else the
/// repository root above the binaries. Null when <c>F5PARITY_CONFIG</c> is not set (the tier then skips, saying so).
/// </summary>
public static class ConfigLocator
{
    public const string CwdVariable = "F5PARITY_CWD";

    /// <summary>The run folder <c>ckpts/&lt;project&gt;</c> the tier reads its setup from (as <c>diagnose --run</c>).</summary>
    public const string RunVariable = "F5PARITY_RUN";

    /// <summary>The inference TOML (<c>infer_cli -c</c>) the tier reads with <see cref="RunVariable"/> (as <c>--infer</c>).</summary>
    public const string InferVariable = "F5PARITY_INFER";

    /// <summary>The dataset folder <c>data/&lt;name&gt;_&lt;tokenizer&gt;</c> (as <c>--dataset</c>).</summary>
    public const string DatasetVariable = "F5PARITY_DATASET";

    public static string StartDirectory(IReadOnlyDictionary<string, string?> env, string binaryFolder)
    {
        foreach (var v in new[] { CwdVariable, "PWD" })
            if (env.TryGetValue(v, out var d) && !string.IsNullOrEmpty(d) && Directory.Exists(d)) return Path.GetFullPath(d);
        for (var dir = new DirectoryInfo(binaryFolder); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "F5Parity.Tests.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>The configuration named by F5PARITY_CONFIG (plus F5PARITY_* overrides), or null when it is not set.</summary>
    public static DiagnosisConfig? Load(IReadOnlyDictionary<string, string?> env, string binaryFolder)
    {
        if (!env.TryGetValue(DiagnosisConfig.ConfigVariable, out var file) || string.IsNullOrEmpty(file)) return null;
        string start = StartDirectory(env, binaryFolder);
        string full = Path.GetFullPath(file, start);
        if (!File.Exists(full))
            throw new ConfigurationException(file, $"configuration file not found (resolved against {start}, the directory `dotnet test` was started from; set {CwdVariable} to change it)");
        return DiagnosisConfig.Load(full, env, start);
    }

    /// <summary>F5PARITY_RUN / F5PARITY_INFER / F5PARITY_DATASET resolved against the start directory; Run null when unset.</summary>
    public static (string? Run, string? Infer, string? Dataset) RunFiles(IReadOnlyDictionary<string, string?> env, string binaryFolder)
    {
        string start = StartDirectory(env, binaryFolder);
        string? Get(string v) => env.TryGetValue(v, out var p) && !string.IsNullOrEmpty(p) ? Path.GetFullPath(p, start) : null;
        var run = Get(RunVariable);
        if (run is null && (Get(InferVariable) ?? Get(DatasetVariable)) is string other)
            throw new ConfigurationException(InferVariable, $"'{other}' is given without {RunVariable} (ckpts/<project>)");
        return (run, Get(InferVariable), Get(DatasetVariable));
    }

    /// <summary>The explicit configuration file for a run-folder tier: F5PARITY_CONFIG resolved, or "" when unset.</summary>
    public static string ConfigFile(IReadOnlyDictionary<string, string?> env, string binaryFolder) =>
        env.TryGetValue(DiagnosisConfig.ConfigVariable, out var f) && !string.IsNullOrEmpty(f) ? Path.GetFullPath(f, StartDirectory(env, binaryFolder)) : "";

    public static IReadOnlyDictionary<string, string?> Environment() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
}
