using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Runs;

/// <summary>How the total number of frames to generate is chosen.</summary>
public enum DurationRule
{
    /// <summary>Trainer: exactly twice the reference mel frames (trainer.py:417).</summary>
    TwiceReference,
    /// <summary>infer_process: reference frames + the UTF-8 byte-ratio estimate, speed 0.3 for short texts (utils_infer.py:479-493).</summary>
    ByteRatio,
}
