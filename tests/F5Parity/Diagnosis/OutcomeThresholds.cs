namespace F5Parity.Diagnosis;

/// <summary>
/// The numbers outcomes are decided by, stated once and written into every report.
/// <see cref="NoEffectRelativeL2"/>: a treatment mel within this relative L2 (‖t − c‖ / ‖c‖, same shape) of the control
/// is the same output (float32 rounding of a reordered sum is ~1e-7; a real change is ≥ 1e-3).
/// <see cref="MinRelativeDrop"/>: a score fall of at least this fraction of the control's score counts as a drop.
/// </summary>
public sealed record OutcomeThresholds(double NoEffectRelativeL2 = 1e-4, double MinRelativeDrop = 0.10)
{
    public static readonly OutcomeThresholds Default = new();
}
