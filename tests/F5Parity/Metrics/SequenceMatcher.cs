namespace F5Parity.Metrics;

/// <summary>
/// A port of Python's <c>difflib.SequenceMatcher(None, a, b)</c> (no junk predicate, <c>autojunk=True</c>), enough to
/// reproduce <c>ratio()</c> exactly — the "similarity" figure of the seed report. It follows difflib step for step:
/// <list type="bullet">
/// <item><b>b2j</b>: for each element of b, the ascending list of its positions;</item>
/// <item><b>autojunk</b>: when len(b) &gt;= 200, an element occurring more than <c>len(b) / 100 + 1</c> times
/// (integer division) is "popular" and removed from b2j — it can still extend a match, exactly as in difflib, because
/// popular elements are not junk;</item>
/// <item><b>find_longest_match</b>: the longest block a[i:i+k] == b[j:j+k] among b2j positions; of equal-length
/// blocks the one starting earliest in a, then earliest in b, wins; the block is then extended on both sides by
/// equal elements;</item>
/// <item><b>get_matching_blocks</b>: recursive split around the longest match (difflib's explicit stack order);</item>
/// <item><b>ratio</b> = 2·M / (len(a) + len(b)), 1.0 when both are empty.</item>
/// </list>
/// Strings are compared as Python does, as sequences of code points (Unicode scalar values), not UTF-16 units.
/// </summary>
public sealed class SequenceMatcher<T> where T : notnull
{
    readonly IReadOnlyList<T> _a;
    readonly IReadOnlyList<T> _b;
    readonly Dictionary<T, List<int>> _b2j;
    List<MatchingBlock>? _blocks;

    public SequenceMatcher(IReadOnlyList<T> a, IReadOnlyList<T> b, bool autoJunk = true)
    {
        _a = a ?? throw new ArgumentNullException(nameof(a));
        _b = b ?? throw new ArgumentNullException(nameof(b));
        _b2j = new Dictionary<T, List<int>>();
        for (int i = 0; i < _b.Count; i++)
        {
            if (!_b2j.TryGetValue(_b[i], out var positions)) _b2j[_b[i]] = positions = new List<int>();
            positions.Add(i);
        }
        int n = _b.Count;
        if (autoJunk && n >= 200)
        {
            int nTest = n / 100 + 1;
            var popular = _b2j.Where(kv => kv.Value.Count > nTest).Select(kv => kv.Key).ToList();
            foreach (var element in popular) _b2j.Remove(element);
            Popular = popular;
        }
        else Popular = [];
    }

    /// <summary>Elements of b that autojunk removed from the index (difflib's <c>bpopular</c>).</summary>
    public IReadOnlyList<T> Popular { get; }

    /// <summary>Longest matching block in a[aLo:aHi] and b[bLo:bHi] (difflib's <c>find_longest_match</c>).</summary>
    public MatchingBlock FindLongestMatch(int aLo, int aHi, int bLo, int bHi)
    {
        int bestI = aLo, bestJ = bLo, bestSize = 0;
        // runLength[j] = length of the match ending at a[i-1], b[j] (difflib's j2len), only for indexed positions.
        var runLength = new Dictionary<int, int>();
        var next = new Dictionary<int, int>();
        for (int i = aLo; i < aHi; i++)
        {
            next.Clear();
            if (_b2j.TryGetValue(_a[i], out var positions))
            {
                foreach (int j in positions)
                {
                    if (j < bLo) continue;
                    if (j >= bHi) break;
                    int k = (runLength.TryGetValue(j - 1, out var before) ? before : 0) + 1;
                    next[j] = k;
                    if (k > bestSize) { bestI = i - k + 1; bestJ = j - k + 1; bestSize = k; }
                }
            }
            (runLength, next) = (next, runLength);
        }

        // No element is junk (isjunk is None), so difflib's two junk-extension loops never move; the non-junk
        // extension below is what lets popular elements join a match.
        var cmp = EqualityComparer<T>.Default;
        while (bestI > aLo && bestJ > bLo && cmp.Equals(_a[bestI - 1], _b[bestJ - 1])) { bestI--; bestJ--; bestSize++; }
        while (bestI + bestSize < aHi && bestJ + bestSize < bHi && cmp.Equals(_a[bestI + bestSize], _b[bestJ + bestSize])) bestSize++;
        return new MatchingBlock(bestI, bestJ, bestSize);
    }

    /// <summary>difflib's <c>get_matching_blocks()</c>: sorted, adjacent blocks merged, ending with (len a, len b, 0).</summary>
    public IReadOnlyList<MatchingBlock> GetMatchingBlocks()
    {
        if (_blocks != null) return _blocks;
        var found = new List<MatchingBlock>();
        var stack = new Stack<(int ALo, int AHi, int BLo, int BHi)>();
        stack.Push((0, _a.Count, 0, _b.Count));
        while (stack.Count > 0)
        {
            var (aLo, aHi, bLo, bHi) = stack.Pop();
            var m = FindLongestMatch(aLo, aHi, bLo, bHi);
            if (m.Size == 0) continue;
            found.Add(m);
            if (aLo < m.A && bLo < m.B) stack.Push((aLo, m.A, bLo, m.B));
            if (m.A + m.Size < aHi && m.B + m.Size < bHi) stack.Push((m.A + m.Size, aHi, m.B + m.Size, bHi));
        }
        found.Sort((x, y) => x.A != y.A ? x.A.CompareTo(y.A) : x.B != y.B ? x.B.CompareTo(y.B) : x.Size.CompareTo(y.Size));

        var merged = new List<MatchingBlock>();
        int i1 = 0, j1 = 0, k1 = 0;
        foreach (var (i2, j2, k2) in found)
        {
            if (i1 + k1 == i2 && j1 + k1 == j2) k1 += k2;
            else
            {
                if (k1 > 0) merged.Add(new MatchingBlock(i1, j1, k1));
                (i1, j1, k1) = (i2, j2, k2);
            }
        }
        if (k1 > 0) merged.Add(new MatchingBlock(i1, j1, k1));
        merged.Add(new MatchingBlock(_a.Count, _b.Count, 0));
        return _blocks = merged;
    }

    /// <summary>2·M / (len(a) + len(b)) with M the matched elements; 1.0 for two empty sequences.</summary>
    public double Ratio()
    {
        int matches = GetMatchingBlocks().Sum(m => m.Size);
        int length = _a.Count + _b.Count;
        return length == 0 ? 1.0 : 2.0 * matches / length;
    }
}

/// <summary>a[A:A+Size] == b[B:B+Size] (difflib's <c>Match</c> named tuple).</summary>
public readonly record struct MatchingBlock(int A, int B, int Size);

/// <summary>String entry points of <see cref="SequenceMatcher{T}"/>, comparing code points as Python does.</summary>
public static class SequenceMatcher
{
    /// <summary><c>difflib.SequenceMatcher(None, a, b).ratio()</c> for two strings.</summary>
    public static double Ratio(string a, string b) =>
        new SequenceMatcher<int>(EditDistance.Runes(a), EditDistance.Runes(b)).Ratio();

    public static SequenceMatcher<int> ForStrings(string a, string b) =>
        new(EditDistance.Runes(a), EditDistance.Runes(b));
}
