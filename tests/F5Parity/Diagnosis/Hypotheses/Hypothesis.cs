using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// One theory of why the trainer's samples are good and inference is garbage: the control run and the treatment run
/// (pure functions of the <see cref="DiagnosisPaths"/>), what the theory predicts, how it is measured, and where in
/// upstream the difference lives (SWivid/F5-TTS @ 2ae2c9bd, src/f5_tts/). <see cref="NotRunReason"/> says when the
/// configuration lacks what the theory needs (e.g. a second checkpoint). <see cref="Difference"/> is the path
/// difference the theory is about: when the two configured paths differ in it, the theory can be the cause; when they
/// do not, its treatment is a probe (another seed, dropout, another checkpoint the user listed) that can be bad
/// without being the cause.
/// </summary>
public sealed record Hypothesis(
    string Id,
    string Title,
    string Predicts,
    string Measures,
    string Upstream,
    Func<DiagnosisPaths, RunSpec> Control,
    Func<DiagnosisPaths, RunSpec> Treatment,
    Func<DiagnosisPaths, string?>? NotRunReason = null,
    string? Fix = null,
    PathDifference? Difference = null)
{
    /// <summary>True when the two configured paths differ in this theory's <see cref="Difference"/>.</summary>
    public bool IsConfiguredDifference(RunSpec trainer, RunSpec infer) => Difference?.Differs(trainer, infer) ?? false;
}
