using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Errors;

namespace F5Parity.Diagnose;

/// <summary>
/// <c>f5parity-diagnose [--config file.json] [--out folder] [--force] [--list]</c>: runs the whole diagnosis and writes
/// the report bundle. Without --config it reads $F5PARITY_CONFIG, else fixtures/diagnose-default.json; F5PARITY_*
/// variables override single settings. Exit codes: 0 = bundle written, 2 = configuration/input error.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? configFile = null, outFolder = null;
        bool force = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length: configFile = args[++i]; break;
                case "--out" when i + 1 < args.Length: outFolder = args[++i]; break;
                case "--force": force = true; break;
                case "--list":
                    foreach (var h in HypothesisCatalogue.All) Console.WriteLine($"{h.Id,-16} {h.Title}");
                    return 0;
                case "-h" or "--help":
                    Console.WriteLine("usage: diagnose [--config file.json] [--out folder] [--force] [--list]");
                    foreach (var s in DiagnosisConfig.Settings) Console.WriteLine($"  {s.Variable,-28} {s.Key,-22} {s.Meaning}");
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}' (try --help)");
                    return 2;
            }
        }
        try
        {
            configFile ??= Environment.GetEnvironmentVariable(DiagnosisConfig.ConfigVariable) is { Length: > 0 } env ? env : DefaultConfigFile();
            var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
            var config = DiagnosisConfig.Load(configFile, environment, Directory.GetCurrentDirectory());
            if (outFolder is not null) config = config with { Out = Path.GetFullPath(outFolder) };
            Console.WriteLine($"F5Parity diagnosis — configuration {string.Join(" + ", config.Sources)}");
            ReportWriter.CheckFolder(config.Out, force); // refused in seconds, before the diagnosis runs
            using var diagnoser = new Diagnoser(config, log: Console.WriteLine);
            var report = diagnoser.Run();
            ReportWriter.Write(report, config.Out, force);
            Console.WriteLine($"report: {Path.Combine(config.Out, "report.md")}");
            Console.WriteLine($"verdict: {report.Verdict.Hypothesis}");
            return 0;
        }
        catch (F5ParityInputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>fixtures/diagnose-default.json of the repository holding this binary.</summary>
    static string DefaultConfigFile()
    {
        if (RepositoryRoot.Find() is string root && Path.Combine(root, "fixtures", "diagnose-default.json") is var candidate && File.Exists(candidate))
            return candidate;
        throw new ConfigurationException("fixtures/diagnose-default.json", "not found above the binary; pass --config or set F5PARITY_CONFIG");
    }
}
