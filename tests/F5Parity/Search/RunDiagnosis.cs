using F5Parity.Diagnosis;
using F5Parity.RunFiles;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Reporting;

namespace F5Parity.Search;

/// <summary>
/// <c>diagnose --run ckpts/&lt;project&gt; [--dataset data/&lt;name&gt;_&lt;tok&gt;] [--infer my.toml]</c>: both paths built from
/// the run's own files (explicit settings still override), the setup search when the stated trainer path does not
/// speak or a fact is missing, then the normal diagnosis from the setup the checkpoint answers to.
/// </summary>
public sealed class RunDiagnosis : IDisposable
{
    /// <summary>Holds the runs' tensors the report bundle writes; dispose after writing it.</summary>
    public required Diagnoser Diagnoser { get; init; }

    public void Dispose() => Diagnoser.Dispose();

    public required RunSetup Setup { get; init; }
    public required DiagnosisConfig Stated { get; init; }
    public required DiagnosisConfig Used { get; init; }
    public required SetupSearchResult Search { get; init; }
    public required DiagnosisReport Report { get; init; }
    public required IReadOnlyList<string> SearchLines { get; init; }

    /// <summary>Reads the files, searches if needed, diagnoses. <paramref name="configFile"/> "" = no explicit file.</summary>
    public static RunDiagnosis Run(string runFolder, string? datasetFolder, string? inferToml, string configFile,
        IReadOnlyDictionary<string, string?> environment, string workingDirectory, Action<string>? log = null)
    {
        log ??= _ => { };
        var run = RunFolder.Find(runFolder, datasetFolder);
        var setup = RunSetup.Read(run, inferToml is null ? null : InferToml.Read(inferToml));
        var values = setup.AsSettings().ToDictionary(kv => kv.Key, kv => kv.Value);
        // a fact no file gives: start from the inference side's belief (what the user would assume), and search
        if (!values.ContainsKey("vocab") && values.GetValueOrDefault("inferenceVocab") is string iv) values["vocab"] = iv;
        if (!values.ContainsKey("modelConfig") && values.GetValueOrDefault("inferenceModelConfig") is string im) values["modelConfig"] = im;
        if (!values.ContainsKey("inferenceCheckpoint")) values["inferenceCheckpoint"] = run.NewestSave;
        foreach (var (k, v) in setup.Values) log($"  {k,-22} {v.Value}  ({v.Source})");
        foreach (var m in setup.Missing) log($"  missing: {m}");

        var stated = DiagnosisConfig.Load(configFile, environment, workingDirectory, values, $"run {run.Folder}");
        SetupSearchResult search;
        SetupCandidate? found;
        using (var probe = new Diagnoser(stated, log: _ => { }))
        {
            var vocabs = new List<string> { stated.Vocab };
            if (stated.InferenceVocab is string v) vocabs.Add(v);
            vocabs.AddRange(run.VocabFilesBesideSaves());
            var datasetVocab = run.DatasetFolder is string d ? Path.Combine(d, "vocab.txt") : null;
            if (datasetVocab is not null && File.Exists(datasetVocab)) vocabs.Add(datasetVocab);
            var configs = new List<string>();
            if (stated.InferenceModelConfig is string c) configs.Add(c);
            search = new SetupSearch(probe.Runner, probe.MetricId).Run(probe.Paths.Trainer, vocabs, configs, factsMissing: setup.Missing.Any(m => !m.StartsWith("infer", StringComparison.Ordinal)));
            found = search.Found?.Setup;
            var lines = search.Describe(probe.Paths.Infer);
            foreach (var l in lines) log(l);
        }
        var used = found is null || found == search.Stated ? stated : stated with
        {
            Vocab = found.Vocab, ModelConfig = found.ModelConfig, TrainingText = found.Text.ToName(),
            Sources = [.. stated.Sources, "setup search"],
        };
        var diagnoser = new Diagnoser(used, log: log);
        var report = diagnoser.Run();
        return new RunDiagnosis
        {
            Diagnoser = diagnoser, Setup = setup, Stated = stated, Used = used, Search = search, Report = report,
            SearchLines = search.Describe(diagnoser.Paths.Infer),
        };
    }

    /// <summary>The section appended to report.md: each value with its source, the search and its cost.</summary>
    public string Section()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine().AppendLine("## Your run's files").AppendLine();
        sb.AppendLine($"Run folder `{Setup.Run.Folder}`: {Setup.Run.Saves.Count} save(s), {Setup.Run.Samples.Count} trainer sample(s)" +
            (Setup.Run.Samples.Count > 0 ? $" (latest: update {Setup.Run.Samples[^1].Update}, `{Path.GetFileName(Setup.Run.Samples[^1].GenWav)}`)" : "") + ".").AppendLine();
        sb.AppendLine("| setting | value | source |").AppendLine("|---|---|---|");
        foreach (var (k, v) in Setup.Values) sb.AppendLine($"| `{k}` | {v.Value} | {v.Source} |");
        foreach (var m in Setup.Missing) sb.AppendLine($"| – | missing | {m} |");
        sb.AppendLine().AppendLine($"Explicit settings override these, in order: {string.Join(" + ", Used.Sources.Skip(1))}.");
        sb.AppendLine().AppendLine("## The setup this checkpoint answers to").AppendLine();
        foreach (var l in SearchLines) sb.AppendLine(l);
        return sb.ToString();
    }
}
