using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Quality;

/// <summary>
/// What one <see cref="IQualityMetric"/> measured on one run. <see cref="Score"/> is oriented so that higher is
/// better for every metric; <see cref="Good"/> applies the metric's stated threshold; <see cref="Values"/> holds the
/// raw numbers behind the score (distances, CER, WER…) under stable names.
/// </summary>
public sealed record QualityMeasurement(string MetricId, double Score, bool Good, IReadOnlyDictionary<string, double> Values,
    string? Transcript = null, string? Note = null);
