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
    /// <summary>How the ladder was sampled (walked or bisected, which rungs); null reads as a walk of every rung.</summary>
    public LadderSampling? LadderSampling { get; init; }
}
