using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.RunFiles;

namespace F5Parity.Search;

/// <summary>
/// The first half of <c>diagnose --run</c>: the run's files read (<see cref="RunSetup"/>), the trainer's own samples
/// scored with the diagnosis's metric (<see cref="TrainerSampleScore"/>), and the setup search from the stated
/// training setup; <see cref="Used"/> is the configuration the diagnosis then runs from (the setup found, else the
/// stated one). The checkpoint tier's "stated training setup reproduces the trainer" row reads this alone.
/// </summary>
public sealed record RunSearch(RunSetup Setup, DiagnosisConfig Stated, DiagnosisConfig Used, SetupSearchResult Search,
    IReadOnlyList<string> SearchLines, IReadOnlyList<TrainerSampleScore> Samples, string MetricId)
{
    public static RunSearch Run(string runFolder, string? datasetFolder, string? inferToml, string configFile,
        IReadOnlyDictionary<string, string?> environment, string workingDirectory, Action<string>? log = null,
        Func<DiagnosisConfig, DiagnosisConfig>? adjust = null)
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
        if (adjust is not null) stated = adjust(stated);
        using var probe = new Diagnoser(stated, log: _ => { });
        var readBack = TrainerSampleScore.ReadBackFor(probe);
        // the latest sample only: a long run logs one per save, and each costs two metric runs (two transcripts, or
        // a codebook read-back of ~6 s); the latest is the one beside the save a user infers from
        var samples = run.Samples.TakeLast(1).Select(s => TrainerSampleScore.Measure(s, probe.Paths.Trainer, probe.Runner.Metrics, probe.MetricId, readBack)).ToList();
        var vocabs = new List<string> { stated.Vocab };
        if (stated.InferenceVocab is string vi) vocabs.Add(vi);
        vocabs.AddRange(run.VocabFilesBesideSaves());
        var datasetVocab = run.DatasetFolder is string d ? Path.Combine(d, "vocab.txt") : null;
        if (datasetVocab is not null && File.Exists(datasetVocab)) vocabs.Add(datasetVocab);
        var configs = new List<string>();
        if (stated.InferenceModelConfig is string c) configs.Add(c);
        var search = new SetupSearch(probe.Runner, probe.MetricId).Run(probe.Paths.Trainer, vocabs, configs,
            factsMissing: setup.Missing.Any(m => !m.StartsWith("infer", StringComparison.Ordinal)));
        var lines = search.Describe(probe.Paths.Infer);
        foreach (var l in lines) log(l);
        foreach (var s in samples) log(s.Describe(probe.MetricId, search.Trials[0].Score));
        var found = search.Found?.Setup;
        var used = found is null || found == search.Stated ? stated : stated with
        {
            Vocab = found.Vocab, ModelConfig = found.ModelConfig, TrainingText = found.Text.ToName(),
            Sources = [.. stated.Sources, "setup search"],
        };
        return new RunSearch(setup, stated, used, search, lines, samples, probe.MetricId);
    }
}
