using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using System.Diagnostics;
using F5Parity.Asr;
using F5Parity.Audio;
using F5Parity.Errors;
using F5Parity.Vocoder;
using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis;

/// <summary>
/// The whole diagnosis: static checks, the two path runs, every hypothesis of the <see cref="HypothesisCatalogue"/>,
/// the <see cref="Ladder"/>, and the <see cref="Verdict"/>. Owns the runner, the vocoder and the metrics it builds
/// from the configuration.
/// </summary>
public sealed class Diagnoser : IDisposable
{
    readonly List<IDisposable> _owned = [];
    readonly F5Parity.Torch.DeterminismState _determinismBefore;

    public Diagnoser(DiagnosisConfig config, ITokenAccuracyScorer? tokenAccuracy = null, OutcomeThresholds? thresholds = null,
        Action<string>? log = null)
    {
        Config = config;
        Thresholds = thresholds ?? OutcomeThresholds.Default;
        Log = log ?? (_ => { });
        Device = config.Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? new Device(config.Device) : null;

        // the reference's health and the generation text, before anything loads (seconds, not minutes)
        foreach (var note in InputGuards.Check(config)) Log($"input: {note}");

        // a codebook fixture's language (checked first: nothing is loaded yet if its name is wrong)
        Codebook = config.Codebook is string language ? CodebookReference.Create(language, Text.Vocab.Load(config.CodebookVocab ?? config.Vocab)) : null;

        IVocoder vocoder;
        if (config.Vocoder == "griffin-lim") { var g = new GriffinLim(); _owned.Add(g); vocoder = g; }
        else
        {
            if (!Directory.Exists(config.Vocoder)) throw new ConfigurationException(config.Vocoder, "vocoder folder not found (F5PARITY_VOCODER: a Vocos folder or griffin-lim)");
            var v = Vocos.FromFolder(config.Vocoder);
            if (Device is not null) v.to(Device);
            _owned.Add(v);
            vocoder = v;
        }

        var metrics = new List<IQualityMetric>();
        GroundTruth = config.GroundTruth is null ? new GroundTruthSet() : GroundTruthSet.FromFolder(config.GroundTruth, new MelSpec());
        _owned.Add(GroundTruth);
        if (config.Codebook is null && GroundTruth.FindId(config.RefText) is null) GroundTruth.Add("reference", config.RefText, config.RefAudio, new MelSpec());
        metrics.Add(new MelDtwMetric(GroundTruth));
        if (config.WhisperModel is string wm)
        {
            var w = new WhisperTranscriber(wm, config.WhisperLanguage);
            _owned.Add(w);
            metrics.Insert(0, new WhisperMetric(w, config.FoldAccents));
        }
        var datasetText = config.DatasetText;
        if (Codebook is not null)
        {
            // a codebook fixture: its language scores the runs (first: it is what "auto" picks) and renders the reference
            tokenAccuracy ??= Codebook;
            metrics.Insert(0, new TokenAccuracyMetric(tokenAccuracy, expectedTokens: s => Runner.Tokenize(s.TargetText, datasetText)));
        }
        else if (tokenAccuracy is not null) metrics.Insert(config.WhisperModel is null ? 0 : 1, new TokenAccuracyMetric(tokenAccuracy));
        MetricId = config.Metric == "auto" ? metrics[0].Id : config.Metric;
        if (metrics.All(m => m.Id != MetricId))
            throw new ConfigurationException("metric", $"'{config.Metric}' is not available (configured: {string.Join(", ", metrics.Select(m => m.Id))}; whisper needs F5PARITY_WHISPER_MODEL)");
        Runner = new Runner(vocoder, metrics, Device, config.Seeds);
        _owned.Insert(0, Runner);
        Paths = config.ToPaths(p => Runner.Inputs.Vocab(p).Size);
        if (Codebook is not null)
        {
            using var mel = Codebook.RenderReference(config.RefText, Paths.Trainer.Text, config.Seed);
            Runner.Inputs.RegisterReferenceMel(Paths.Trainer.RefMelId!, mel);
        }
        // repeatable sampling, as the bench runs (last, so a constructor that throws changes nothing; restored on
        // Dispose); without CUBLAS_WORKSPACE_CONFIG (scripts/diagnose sets it) cuBLAS has no deterministic mode, so on
        // CUDA a missing one only warns instead of failing every run
        _determinismBefore = F5Parity.Torch.Determinism.Enable(warnOnly: Device is not null && !F5Parity.Torch.Determinism.CublasWorkspaceConfigured);
    }

    public DiagnosisConfig Config { get; }
    public OutcomeThresholds Thresholds { get; }
    public Action<string> Log { get; }
    public Device? Device { get; }
    public GroundTruthSet GroundTruth { get; }
    public Runner Runner { get; }
    public DiagnosisPaths Paths { get; }

    /// <summary>The codebook language of a model fixture (config <c>codebook</c>), or null for real speech.</summary>
    public CodebookReference? Codebook { get; }

    /// <summary>How <see cref="Run"/> samples the ladder: every rung (default) or a bisection to the collapse rung (the quick profile).</summary>
    public LadderStrategy LadderStrategy { get; init; } = LadderStrategy.Walk;

    /// <summary>The primary metric the outcomes are decided by.</summary>
    public string MetricId { get; }

    /// <summary>Tests one hypothesis on the configured paths, or on <paramref name="paths"/> (or says why it was not run).</summary>
    public HypothesisResult Test(Hypothesis h, DiagnosisPaths? paths = null)
    {
        var p = paths ?? Paths;
        if (h.NotRunReason?.Invoke(p) is string reason) return HypothesisResult.NotRun(h, MetricId, reason);
        var control = Runner.Run(h.Control(p));
        var treatment = Runner.Run(h.Treatment(p));
        return HypothesisResult.Classify(h, control, treatment, MetricId, Thresholds);
    }

    public DiagnosisReport Run()
    {
        var watch = Stopwatch.StartNew();
        Log($"static checks");
        var findings = StaticChecks.Run(Runner.Inputs, Paths);
        foreach (var f in findings.Where(f => f.Severity >= Severity.Warning)) Log($"  {f.Severity}: {f.Message}");
        Log($"trainer run: {Paths.Trainer.Describe()}");
        var trainer = Runner.Run(Paths.Trainer);
        Log($"infer run:   {Paths.Infer.Describe()}");
        var infer = Runner.Run(Paths.Infer);
        var hypotheses = new List<HypothesisResult>();
        foreach (var h in HypothesisCatalogue.All)
        {
            var r = Test(h);
            Log($"hypothesis {h.Id,-16} {r.Outcome.ToId(),-15} {r.Reason}");
            hypotheses.Add(r);
        }
        int beforeLadder = Runner.SampledRuns;
        (IReadOnlyList<LadderRung> ladder, LadderSampling? sampling) = LadderStrategy == LadderStrategy.Bisect
            ? LadderBisection.Climb(Runner, Paths, MetricId)
            : (Ladder.Climb(Runner, Paths, MetricId), null);
        sampling ??= LadderSampling.Walk(ladder, Runner.SampledRuns - beforeLadder);
        Log($"ladder: {sampling.StrategyId}, rungs sampled {string.Join(", ", sampling.Sampled)} of 0..{sampling.Rungs - 1} ({sampling.SampledRuns} new runs); {sampling.Note}");
        foreach (var rung in ladder)
            Log($"rung {rung.Index,2} {rung.Id,-16} {(rung.Changed ? "" : "(same) ")}{rung.Quality?.Score.ToString("0.###") ?? "n/a"} step {rung.StepEffect?.ToString() ?? "-"}");
        var verdict = Verdict.Decide(hypotheses, ladder, trainer, infer, MetricId, findings);
        Log($"verdict: {verdict.Hypothesis} — {verdict.Summary}");
        return new DiagnosisReport(Config, Paths, MetricId, Runner.Metrics, Thresholds, findings, trainer, infer, hypotheses, ladder, verdict,
            EnvironmentInfo.Capture(Device?.ToString() ?? "cpu"), Runner.SampledRuns, watch.Elapsed.TotalSeconds)
        { Determinism = F5Parity.Torch.Determinism.Current(), LadderSampling = sampling };
    }

    public void Dispose()
    {
        if (_owned.Count == 0) return;
        foreach (var d in _owned) d.Dispose();
        _owned.Clear();
        F5Parity.Torch.Determinism.Restore(_determinismBefore);
    }
}
