using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.CheckpointTier;
using F5Parity.Errors;
using F5Parity.Progress;
using F5Parity.Sweep;

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
        F5Parity.Torch.NativeHeap.RetainLargeBlocks();
        string? configFile = null, outFolder = null, runFolder = null, datasetFolder = null, inferToml = null;
        string? profile = Environment.GetEnvironmentVariable(Profile.Variable);
        bool force = false;
        var sweep = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length: configFile = args[++i]; break;
                case "--out" when i + 1 < args.Length: outFolder = args[++i]; break;
                case "--force": force = true; break;
                case "--run" when i + 1 < args.Length: runFolder = args[++i]; break;
                case "--dataset" when i + 1 < args.Length: datasetFolder = args[++i]; break;
                case "--infer" when i + 1 < args.Length: inferToml = args[++i]; break;
                case "--profile" when i + 1 < args.Length: profile = args[++i]; break;
                case "--sweep" when i + 1 < args.Length:
                    while (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) sweep.Add(args[++i]);
                    break;
                case "--list":
                    foreach (var h in HypothesisCatalogue.All) Console.WriteLine($"{h.Id,-16} {h.Title}");
                    return 0;
                case "-h" or "--help":
                    Console.WriteLine("usage: diagnose [--run ckpts/<project> [--dataset data/<name>_<tok>] [--infer infer.toml]] [--config file.json] [--out folder] [--force] [--list] [--profile quick|full] [--sweep run-folder|saves...]");
                    foreach (var s in DiagnosisConfig.Settings) Console.WriteLine($"  {s.Variable,-28} {s.Key,-22} {s.Meaning}");
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}' (try --help)");
                    return 2;
            }
        }
        try
        {
            if (runFolder is not null) return RunFromFiles(runFolder, datasetFolder, inferToml, configFile, outFolder, force, profile);
            if (datasetFolder is not null || inferToml is not null) throw new ConfigurationException("--dataset/--infer", "only with --run ckpts/<project>");
            configFile ??= Environment.GetEnvironmentVariable(DiagnosisConfig.ConfigVariable) is { Length: > 0 } env ? env : DefaultConfigFile();
            var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
            var config = DiagnosisConfig.Load(configFile, environment, Directory.GetCurrentDirectory());
            if (outFolder is not null) config = config with { Out = Path.GetFullPath(outFolder) };
            config = Profile.Apply(profile, config);
            if (sweep.Count > 0) return Sweep(config, sweep);
            Console.WriteLine($"F5Parity diagnosis — configuration {string.Join(" + ", config.Sources)}");
            ReportWriter.CheckFolder(config.Out, force); // refused in seconds, before the diagnosis runs
            using var progress = ConsoleProgress.ForDiagnosis(Profile.Ladder(profile)).Start();
            using var diagnoser = new Diagnoser(config, log: Console.WriteLine) { LadderStrategy = Profile.Ladder(profile) };
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

    /// <summary>
    /// --run: both paths from the run's own files (explicit --config / F5PARITY_CONFIG and F5PARITY_* variables
    /// override them), the setup search, then the diagnosis from the setup the checkpoint answers to.
    /// </summary>
    static int RunFromFiles(string runFolder, string? datasetFolder, string? inferToml, string? configFile, string? outFolder, bool force, string? profile)
    {
        configFile ??= Environment.GetEnvironmentVariable(DiagnosisConfig.ConfigVariable) ?? "";
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        Console.WriteLine($"F5Parity diagnosis — run {Path.GetFullPath(runFolder)}{(inferToml is null ? "" : $", inference {Path.GetFullPath(inferToml)}")}");
        using var result = F5Parity.Search.RunDiagnosis.Run(runFolder, datasetFolder, inferToml, configFile, environment, Directory.GetCurrentDirectory(), Console.WriteLine,
            c => Profile.Apply(profile, c), Profile.Ladder(profile));
        var outDir = outFolder is not null ? Path.GetFullPath(outFolder) : result.Used.Out;
        ReportWriter.Write(result.Report, outDir, force);
        File.AppendAllText(Path.Combine(outDir, "report.md"), result.Section());
        F5Parity.Search.RunSearchJson.AddTo(outDir, result.Searched, result.Report.TrainerRun.Metric(result.Report.MetricId)?.Score);
        foreach (var line in result.SampleLines()) Console.WriteLine(line);
        Console.WriteLine($"report: {Path.Combine(outDir, "report.md")}");
        Console.WriteLine($"verdict: {result.Report.Verdict.Hypothesis}");
        return 0;
    }

    /// <summary>--sweep: both paths on every save of a run, in update order; sweep.md/.tsv/.png in the out folder.</summary>
    static int Sweep(DiagnosisConfig config, IReadOnlyList<string> inputs)
    {
        var saves = SaveList.Find(inputs);
        Console.WriteLine($"F5Parity sweep — {saves.Count} saves, configuration {string.Join(" + ", config.Sources)}");
        using var steps = new ConsoleProgress(2 * saves.Count).Start();
        var rows = SaveSweep.Run(config, saves, new SyncProgress<SweepProgress>(p => Console.WriteLine(p)));
        string folder = Path.Combine(config.Out, "sweep");
        SweepReport.Write(rows, rows.Select(r => r.Trainer?.MetricId ?? r.Infer?.MetricId).FirstOrDefault(m => m is not null) ?? config.Metric, folder);
        Console.WriteLine($"sweep: {Path.Combine(folder, "sweep.md")}");
        var first = SaveSweep.FirstBad(rows);
        Console.WriteLine(first is null ? "first bad save: none" : $"first bad save: {first.Save.Path} (update {first.Save.Update})");
        return 0;
    }

    /// <summary>fixtures/diagnose-default.json of the repository holding this binary.</summary>
    static string DefaultConfigFile()
    {
        if (RepositoryRoot.Find() is string root && Path.Combine(root, "fixtures", "diagnose-default.json") is var candidate && File.Exists(candidate))
            return candidate;
        throw new ConfigurationException("fixtures/diagnose-default.json", "not found above the binary; pass --config or set F5PARITY_CONFIG");
    }
}
