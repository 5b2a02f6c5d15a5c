using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Runs;

/// <summary>A run and its measurements, or the error that stopped it (a model that would not load, a text that is empty…).</summary>
public sealed record RunResult(RunSpec Spec, RunOutput? Output, IReadOnlyList<QualityMeasurement> Metrics, string? Error)
{
    /// <summary>The measurement of the given metric, if it could judge this run.</summary>
    public QualityMeasurement? Metric(string id) => Metrics.FirstOrDefault(m => m.MetricId == id);
}
