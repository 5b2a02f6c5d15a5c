using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
namespace F5Parity.Diagnosis.Reporting;

/// <summary>Everything one diagnosis found, in the order it was found; <see cref="ReportWriter"/> turns it into the bundle.</summary>
public sealed record DiagnosisReport(
    DiagnosisConfig Config,
    DiagnosisPaths Paths,
    string MetricId,
    IReadOnlyList<IQualityMetric> Metrics,
    OutcomeThresholds Thresholds,
    IReadOnlyList<StaticFinding> StaticFindings,
    RunResult TrainerRun,
    RunResult InferRun,
    IReadOnlyList<HypothesisResult> Hypotheses,
    IReadOnlyList<LadderRung> Ladder,
    Verdict Verdict,
    EnvironmentInfo Environment,
    int SampledRuns,
    double Seconds)
{
    /// <summary>The determinism switches the runs were sampled under (<see cref="F5Parity.Torch.Determinism"/>); null when not recorded.</summary>
    public F5Parity.Torch.DeterminismState? Determinism { get; init; }
    /// <summary>How the ladder was sampled (walked or bisected, which rungs); null reads as a walk of every rung.</summary>
    public LadderSampling? LadderSampling { get; init; }
}
