using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// One <see cref="Diagnoser"/> per test run, on the configured diagnosis (F5PARITY_CONFIG and F5PARITY_* variables
/// like scripts/diagnose; default fixtures/diagnose-upstream-tiny.json, the former default: the measured bounds and golden files belong to it). Its runner caches runs by spec, so the theories,
/// the ladder test and the report test share samples. Tests run one at a time (AssemblyInfo), as the runner needs.
/// </summary>
public static class DiagnosisSession
{
    static readonly Lazy<Diagnoser> DiagnoserLazy = new(() => new Diagnoser(Config));
    static readonly Lazy<DiagnosisReport> ReportLazy = new(() => Diagnoser.Run());

    public static string DefaultConfigFile => Path.Combine(RepoPaths.Fixtures, "diagnose-upstream-tiny.json");

    /// <summary>
    /// Settings that cannot change what a run samples: the bundle folder (the tests write their own) and the scoring
    /// (metric, Whisper model and language, accent folding, ground truth). A measured mel bound or golden mel still
    /// holds when only these differ from the embedded default.
    /// </summary>
    static readonly HashSet<string> ScoringOnly = ["out", "metric", "whisperModel", "whisperLanguage", "foldAccents", "groundTruth"];

    /// <summary>
    /// Skips a test whose bounds were measured on the embedded default when this run's configuration (F5PARITY_CONFIG
    /// and the F5PARITY_* variables) gives a setting that changes what is sampled another value than the default
    /// file does; the skip reason names each such setting with both values. Any other variable (F5PARITY_OUT, say)
    /// does not skip.
    /// </summary>
    public static void RequireEmbeddedDefault(string measured)
    {
        var changed = ChangedSamplingSettings();
        Skip.If(changed.Count > 0, $"{measured} measured on the embedded default ({Path.GetFileName(DefaultConfigFile)}); this configuration changes {string.Join(", ", changed)}");
    }

    /// <summary>"key = value (default: value)" for each setting that changes sampling and differs from the default file.</summary>
    public static IReadOnlyList<string> ChangedSamplingSettings() => DifferencesFrom(Config, EmbeddedDefault.Value);

    static readonly Lazy<DiagnosisConfig> EmbeddedDefault = new(() =>
        DiagnosisConfig.Load(DefaultConfigFile, new Dictionary<string, string?>(), Directory.GetCurrentDirectory()));

    /// <summary>The settings (by key) whose values differ between two configurations, scoring-only settings left out.</summary>
    public static IReadOnlyList<string> DifferencesFrom(DiagnosisConfig config, DiagnosisConfig reference)
    {
        var changed = new List<string>();
        foreach (var (key, variable, _, _) in DiagnosisConfig.Settings)
        {
            if (ScoringOnly.Contains(key)) continue;
            var property = typeof(DiagnosisConfig).GetProperty(char.ToUpperInvariant(key[0]) + key[1..])
                ?? throw new InvalidOperationException($"setting '{key}' has no DiagnosisConfig property of that name");
            object? value = property.GetValue(config), expected = property.GetValue(reference);
            if (!Equals(value, expected)) changed.Add($"{key} = {value ?? "(none)"} (default: {expected ?? "(none)"}; {variable})");
        }
        return changed;
    }

    public static DiagnosisConfig Config { get; } = LoadConfig();

    static DiagnosisConfig LoadConfig()
    {
        var file = Environment.GetEnvironmentVariable(DiagnosisConfig.ConfigVariable) is { Length: > 0 } f ? f : DefaultConfigFile;
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        return DiagnosisConfig.Load(file, env, Directory.GetCurrentDirectory()) with { Out = Path.Combine(RepoPaths.Artifacts, "diagnosis-tests", "bundle") };
    }

    public static Diagnoser Diagnoser => DiagnoserLazy.Value;

    /// <summary>The whole diagnosis, run once.</summary>
    public static DiagnosisReport Report => ReportLazy.Value;

    /// <summary>A scratch folder for files a test makes (vocab variants…), under the ignored artifacts/.</summary>
    public static string Scratch(string name)
    {
        var dir = Path.Combine(RepoPaths.Artifacts, "diagnosis-tests", name);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
