using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Runs;

/// <summary>Whose code samples a <see cref="RunSpec"/>: the trainer's log-sample block or <c>infer_process</c>.</summary>
public enum SamplingCode
{
    /// <summary><see cref="Pipelines.TrainerSamplePath"/> (model/trainer.py:408-438): condition = the dataset mel.</summary>
    Trainer,
    /// <summary><see cref="Pipelines.InferProcessPath"/> (infer/utils_infer.py:384-593): condition = the wave.</summary>
    Infer,
}
