using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Runs;

namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// The <c>quick</c> profile's ladder: instead of sampling every rung, a binary search for the rung where quality
/// collapses. The rungs whose flip leaves the spec unchanged are dropped first (each is its predecessor's run); of the
/// k that remain, the two ends (the trainer run and the infer run, which the diagnosis has already sampled) and at most
/// ⌈log₂ k⌉ rungs between them are sampled.
/// <para>
/// It assumes quality is <b>monotone along the ladder</b>: once a flip turns the output bad, no later flip turns it
/// good again. Then the first bad rung after a good one is the rung a full walk names (<see cref="Ladder.Collapse"/>).
/// When quality dips and recovers, the search still returns a rung that is bad right after a good one, but not
/// necessarily the first; with a good infer run it returns none. A rung the metric cannot judge (the run failed) is
/// dropped, as the walk skips it. The <c>full</c> profile walks every rung.
/// </para>
/// </summary>
public static class LadderBisection
{
    public const string Assumption = "bisection assumes quality is monotone along the ladder (once a flip turns the output bad, no later flip turns it good again); the full profile walks every rung";

    /// <summary>The rungs asked for, in the order they were asked, the collapse rung (null when none) and what happened.</summary>
    public sealed record Trace(IReadOnlyList<int> Sampled, int? Collapse, string Note);

    /// <summary>
    /// The search over rung indices 0..n−1: <paramref name="changed"/>[i] says whether rung i's flip changed the spec
    /// (rung 0, the trainer run, is always kept); <paramref name="judge"/>(i) samples rung i and says whether it is good
    /// (null: not judged). Each rung is judged at most once.
    /// </summary>
    public static Trace Search(IReadOnlyList<bool> changed, Func<int, bool?> judge)
    {
        var candidates = Enumerable.Range(0, changed.Count).Where(i => i == 0 || changed[i]).ToList();
        int distinct = candidates.Count;
        var sampled = new List<int>();
        var memo = new Dictionary<int, bool?>();
        bool? Judge(int i)
        {
            if (memo.TryGetValue(i, out var known)) return known;
            sampled.Add(i);
            return memo[i] = judge(i);
        }
        if (changed.Count == 0) return new(sampled, null, "no rungs");
        if (Judge(0) != true) return new(sampled, null, "not bisected: the trainer rung is not good, so there is no good run to collapse from");
        int hi = candidates.Count - 1;
        while (hi > 0 && Judge(candidates[hi]) is null) candidates.RemoveAt(hi--);
        if (hi == 0) return new(sampled, null, "not bisected: no rung after the trainer's could be judged");
        if (Judge(candidates[hi]) == true) return new(sampled, null, $"not bisected: rung {candidates[hi]} (the last judged) is good, so under the monotone assumption quality never collapses");
        int lo = 0;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) / 2;
            switch (Judge(candidates[mid]))
            {
                case null: candidates.RemoveAt(mid); hi--; break; // not judged: dropped, as the walk skips it
                case true: lo = mid; break;
                case false: hi = mid; break;
            }
        }
        return new(sampled, candidates[hi],
            $"bisected: rung {candidates[lo]} good, rung {candidates[hi]} bad, no rung between them both changes the spec and can be judged; {sampled.Count} of {distinct} distinct rungs sampled");
    }

    /// <summary>
    /// Bisects the ladder of <paramref name="paths"/> with <paramref name="runner"/>: the rungs listed are the sampled
    /// ones, in ladder order, with their ladder index; a step effect only where the previous listed rung is the
    /// previous distinct spec (nothing between them changed), else null.
    /// </summary>
    public static (IReadOnlyList<LadderRung> Rungs, LadderSampling Sampling) Climb(Runner runner, DiagnosisPaths paths, string metricId)
    {
        var specs = Ladder.Specs(paths);
        var changed = specs.Select((s, i) => i == 0 || s != specs[i - 1]).ToList();
        int before = runner.SampledRuns;
        var results = new Dictionary<int, RunResult>();
        var trace = Search(changed, i => (results[i] = runner.Run(specs[i])).Metric(metricId)?.Good);
        var rungs = new List<LadderRung>();
        foreach (var i in results.Keys.Order())
        {
            var r = results[i];
            var prev = rungs.Count == 0 ? null : rungs[^1].Result;
            Effect? step = prev?.Output is { } a && r.Output is { } b && specs[i - 1] == prev.Spec ? Effect.Between(a, b) : null;
            rungs.Add(new LadderRung(i, i == 0 ? null : PathDifference.All[i - 1], changed[i], r, step, metricId));
        }
        return (rungs, new LadderSampling(LadderStrategy.Bisect, specs.Count, trace.Sampled, runner.SampledRuns - before, $"{trace.Note}; {Assumption}"));
    }
}
