namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// How the ladder is sampled: <see cref="Walk"/> samples every rung (the <c>full</c> profile), <see cref="Bisect"/>
/// binary-searches the collapse rung (the <c>quick</c> profile, <see cref="LadderBisection"/>).
/// </summary>
public enum LadderStrategy
{
    Walk,
    Bisect,
}
