using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// The numbers outcomes are decided by, stated once and written into every report.
/// <see cref="NoEffectRelativeL2"/>: a treatment mel within this relative L2 (‖t − c‖ / ‖c‖, same shape) of the control
/// is the same output (float32 rounding of a reordered sum stays below it; a token or weight change on the tiny models moves ≥ 1e-5).
/// <see cref="MinRelativeDrop"/>: a score fall of at least this fraction of the control's score counts as a drop.
/// </summary>
public sealed record OutcomeThresholds(double NoEffectRelativeL2 = 1e-6, double MinRelativeDrop = 0.10)
{
    public static readonly OutcomeThresholds Default = new();
}
