namespace F5Parity.Diagnosis;

/// <summary>
/// What one <see cref="IQualityMetric"/> measured on one run. <see cref="Score"/> is oriented so that higher is
/// better for every metric; <see cref="Good"/> applies the metric's stated threshold; <see cref="Values"/> holds the
/// raw numbers behind the score (distances, CER, WER…) under stable names.
/// </summary>
public sealed record QualityMeasurement(string MetricId, double Score, bool Good, IReadOnlyDictionary<string, double> Values,
    string? Transcript = null, string? Note = null);
