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

    /// <summary>True when no variable changes the embedded default (the measured bounds and golden files belong to it).</summary>
    public static bool IsEmbeddedDefault => DiagnosisConfig.Settings.All(s => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(s.Variable)))
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DiagnosisConfig.ConfigVariable));

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
