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

    /// <summary>Reads the files, searches if needed, diagnoses. <paramref name="configFile"/> "" = no explicit file;
    /// <paramref name="adjust"/> changes the stated configuration before anything runs (the tier's profile, its out folder);
    /// <paramref name="ladder"/> is the profile's ladder (walked, or bisected by the quick profile).</summary>
    public static RunDiagnosis Run(string runFolder, string? datasetFolder, string? inferToml, string configFile,
        IReadOnlyDictionary<string, string?> environment, string workingDirectory, Action<string>? log = null,
        Func<DiagnosisConfig, DiagnosisConfig>? adjust = null, Diagnosis.Hypotheses.LadderStrategy ladder = Diagnosis.Hypotheses.LadderStrategy.Walk)
    {
        var found = RunSearch.Run(runFolder, datasetFolder, inferToml, configFile, environment, workingDirectory, log, adjust);
        var diagnoser = new Diagnoser(found.Used, log: log ?? (_ => { })) { LadderStrategy = ladder };
        var report = diagnoser.Run();
        return new RunDiagnosis
        {
            Diagnoser = diagnoser, Setup = found.Setup, Stated = found.Stated, Used = found.Used, Search = found.Search, Report = report,
            SearchLines = found.Search.Describe(diagnoser.Paths.Infer), Samples = found.Samples, Searched = found,
        };
    }

    /// <summary>The first half: files read, samples scored, setup searched (the tier's stated-setup row reads it).</summary>
    public required RunSearch Searched { get; init; }

    /// <summary>The trainer's own samples (samples/update_N_gen.wav) scored with the diagnosis's metric.</summary>
    public IReadOnlyList<TrainerSampleScore> Samples { get; init; } = [];

    /// <summary>"the trainer's sample at update N scored X; our rerun of the trainer path scores Y", one line per sample.</summary>
    public IEnumerable<string> SampleLines() =>
        Samples.Select(s => s.Describe(Report.MetricId, Report.TrainerRun.Metric(Report.MetricId)?.Score));

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
        if (Samples.Count > 0)
        {
            sb.AppendLine().AppendLine("## The trainer's own samples").AppendLine();
            foreach (var l in SampleLines()) sb.AppendLine($"- {l}.");
        }
        sb.AppendLine().AppendLine("## The setup this checkpoint answers to").AppendLine();
        foreach (var l in SearchLines) sb.AppendLine(l);
        return sb.ToString();
    }
}
