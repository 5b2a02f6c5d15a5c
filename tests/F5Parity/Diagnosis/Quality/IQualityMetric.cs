using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Quality;

/// <summary>
/// Scores how well a run's generated audio says its target text. Implementations: <see cref="MelDtwMetric"/> (no
/// ASR: DTW distance to ground-truth speech of the text), <see cref="WhisperMetric"/> (transcription CER/WER/ratio),
/// <see cref="TokenAccuracyMetric"/> (a codebook language's token accuracy).
/// </summary>
public interface IQualityMetric
{
    /// <summary>Stable id used in report.json ("mel-dtw", "whisper", "token-accuracy").</summary>
    string Id { get; }

    /// <summary>One sentence saying what the score is and what threshold makes it "good".</summary>
    string Description { get; }

    /// <summary>The measurement, or null when this metric cannot judge the output (no ground truth for the text…).</summary>
    QualityMeasurement? Measure(RunOutput output);
}
