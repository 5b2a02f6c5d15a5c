using F5Parity.Diagnosis.Hypotheses;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// <see cref="LadderBisection.Search"/> on synthetic ladders with a fake scorer (no model): rung i's quality is given
/// (true good, false bad, null not judged), an unchanged rung repeats its predecessor's run. The oracle is the walk:
/// the first judged-bad rung whose last judged predecessor is good (<see cref="Ladder.Collapse"/>'s rule).
/// </summary>
public sealed class LadderBisectionTests
{
    /// <summary>The ladder's length: rung 0 plus one rung per path difference.</summary>
    const int Rungs = 15;

    static bool[] AllChanged(int n) => Enumerable.Repeat(true, n).ToArray();

    /// <summary>The walk's collapse: every rung sampled, unjudged ones skipped.</summary>
    static int? Walk(IReadOnlyList<bool?> quality)
    {
        bool? last = null;
        for (int i = 0; i < quality.Count; i++)
        {
            if (quality[i] is not bool q) continue;
            if (last == true && !q) return i;
            last = q;
        }
        return null;
    }

    /// <summary>Runs the search with a scorer that counts its calls and fails on a rung asked twice.</summary>
    static (LadderBisection.Trace Trace, List<int> Asked) Bisect(bool[] changed, IReadOnlyList<bool?> quality)
    {
        var asked = new List<int>();
        var trace = LadderBisection.Search(changed, i =>
        {
            asked.Should().NotContain(i, "each rung is sampled once");
            asked.Add(i);
            return quality[i];
        });
        trace.Sampled.Should().Equal(asked, "the trace lists the rungs in the order they were sampled");
        return (trace, asked);
    }

    /// <summary>A quality profile that follows the changed mask: an unchanged rung has its predecessor's quality.</summary>
    static bool?[] Follow(bool[] changed, Func<int, bool?> atChanged)
    {
        var q = new bool?[changed.Length];
        for (int i = 0; i < changed.Length; i++) q[i] = i == 0 || changed[i] ? atChanged(i) : q[i - 1];
        return q;
    }

    static int Log2Ceiling(int k) => k <= 1 ? 0 : (int)Math.Ceiling(Math.Log2(k));

    [Theory]
    [InlineData(1)]            // collapse at the first rung after the trainer's
    [InlineData(Rungs - 1)]    // collapse at the last rung (the code swap)
    [InlineData(3)]            // the stale-EMA fixture's rung
    [InlineData(7)]
    public void Monotone_quality_gives_the_walks_rung_in_log_samplings(int collapse)
    {
        var quality = Enumerable.Range(0, Rungs).Select(i => (bool?)(i < collapse)).ToArray();
        var (trace, asked) = Bisect(AllChanged(Rungs), quality);
        trace.Collapse.Should().Be(collapse).And.Be(Walk(quality));
        asked.Count.Should().BeLessThanOrEqualTo(2 + Log2Ceiling(Rungs - 1), "the two ends and a binary search between them");
        asked.Count.Should().BeLessThan(Rungs, "fewer rungs than the walk");
    }

    /// <summary>Every collapse position under several masks of unchanged rungs: same rung as the walk, unchanged rungs never sampled.</summary>
    [Fact]
    public void Unchanged_rungs_are_never_sampled_and_every_collapse_position_is_found()
    {
        var rng = new Random(7);
        for (int mask = 0; mask < 20; mask++)
        {
            var changed = Enumerable.Range(0, Rungs).Select(i => i == 0 || rng.NextDouble() < 0.4).ToArray();
            changed[^1] = mask % 2 == 0; // the code rung: sometimes unchanged, as on a run whose paths share the code
            var changedRungs = Enumerable.Range(1, Rungs - 1).Where(i => changed[i]).ToList();
            foreach (var collapse in changedRungs)
            {
                var quality = Follow(changed, i => i < collapse);
                var (trace, asked) = Bisect(changed, quality);
                trace.Collapse.Should().Be(Walk(quality)).And.Be(collapse, $"mask {mask}, collapse {collapse}");
                asked.Should().OnlyContain(i => i == 0 || changed[i], "an unchanged rung repeats its predecessor's run");
                asked.Count.Should().BeLessThanOrEqualTo(2 + Log2Ceiling(changedRungs.Count));
            }
        }
    }

    [Fact]
    public void A_bad_trainer_rung_is_not_bisected()
    {
        var quality = new bool?[Rungs];
        Array.Fill(quality, false);
        var (trace, asked) = Bisect(AllChanged(Rungs), quality);
        trace.Collapse.Should().BeNull();
        asked.Should().Equal(0);
        trace.Note.Should().Contain("trainer rung is not good");
    }

    /// <summary>
    /// The monotone assumption, shown where it fails: quality dips at rung 4 and recovers at 6, so the infer run is
    /// good. The walk names rung 4; the bisection samples the two ends only, finds the infer run good and names none.
    /// </summary>
    [Fact]
    public void A_dip_that_recovers_is_not_found_because_bisection_assumes_monotone_quality()
    {
        var quality = Enumerable.Range(0, Rungs).Select(i => (bool?)(i is < 4 or >= 6)).ToArray();
        Walk(quality).Should().Be(4);
        var (trace, asked) = Bisect(AllChanged(Rungs), quality);
        trace.Collapse.Should().BeNull();
        asked.Should().Equal(0, Rungs - 1);
        trace.Note.Should().Contain("monotone");
    }

    /// <summary>
    /// Non-monotone with a bad end (good, bad, good, bad, bad): the search still lands on a genuine good→bad step, but
    /// the one its midpoints lead to (3), not the walk's first (1).
    /// </summary>
    [Fact]
    public void Non_monotone_quality_gives_a_good_to_bad_step_not_necessarily_the_first()
    {
        bool?[] quality = [true, false, true, false, false];
        Walk(quality).Should().Be(1);
        var (trace, _) = Bisect(AllChanged(5), quality);
        trace.Collapse.Should().Be(3);
        quality[2].Should().BeTrue("the rung before the one found is good");
        quality[3].Should().BeFalse();
    }

    /// <summary>A rung the metric cannot judge (its run failed) is dropped, as the walk skips it.</summary>
    [Theory]
    [InlineData(new[] { 1, 1, -1, 0, 0 }, 3)]   // unjudged midpoint
    [InlineData(new[] { 1, 1, 0, -1 }, 2)]      // unjudged infer end: the last judged rung stands for it
    [InlineData(new[] { 1, -1, -1, -1 }, null)] // nothing after the trainer can be judged
    public void Unjudged_rungs_are_dropped_like_the_walk_skips_them(int[] code, int? expected)
    {
        var quality = code.Select(c => c < 0 ? null : (bool?)(c == 1)).ToArray();
        Walk(quality).Should().Be(expected);
        Bisect(AllChanged(code.Length), quality).Trace.Collapse.Should().Be(expected);
    }
}
