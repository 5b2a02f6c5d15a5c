using F5Parity.Pipelines;
using F5Parity.Checkpoints;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// The two ends of a diagnosis: the run the trainer's sample logging makes and the run <c>infer_process</c> makes,
/// each a complete <see cref="RunSpec"/>, plus the optional extra checkpoint the <c>checkpoint</c> hypothesis
/// compares with (an earlier step, the pretrained model). Hypotheses and the ladder are pure functions of this.
/// </summary>
public sealed record DiagnosisPaths(RunSpec Trainer, RunSpec Infer, string? OtherCheckpoint = null)
{
    /// <summary>
    /// Whether the other checkpoint must be loaded with EMA weights: a release-style .safetensors holds only those
    /// (utils_infer.py:224-227 fails with use_ema=False on it).
    /// </summary>
    public bool OtherCheckpointIsEmaOnly => OtherCheckpoint is string o && TrainerCheckpoint.IsEmaOnly(o);
}
