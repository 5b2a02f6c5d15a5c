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

    public static IReadOnlyDictionary<string, string?> Environment() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
}
