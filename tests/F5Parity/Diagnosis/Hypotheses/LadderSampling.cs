namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// How a diagnosis sampled its ladder, for the report: the strategy, how many rungs the ladder has (rung 0 included),
/// which rungs were sampled in the order they were asked for (a bisection lists only those; a walk lists all), how many
/// new sampling runs the ladder cost (runs the hypotheses already made are cached), and a sentence saying what was
/// done and what it assumes.
/// </summary>
public sealed record LadderSampling(LadderStrategy Strategy, int Rungs, IReadOnlyList<int> Sampled, int SampledRuns, string Note)
{
    public string StrategyId => Strategy == LadderStrategy.Bisect ? "bisect" : "walk";

    public static LadderSampling Walk(IReadOnlyList<LadderRung> rungs, int sampledRuns) =>
        new(LadderStrategy.Walk, rungs.Count, rungs.Select(r => r.Index).ToList(), sampledRuns, "every rung sampled, in ladder order");
}
