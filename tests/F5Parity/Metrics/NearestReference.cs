using static TorchSharp.torch;

namespace F5Parity.Metrics;

/// <summary>
/// The suite's ASR-free stand-in for transcription: rank candidate ground-truth mels by their <see cref="MelDtw"/>
/// distance to a generated mel. If generation said the intended sentence, its ground truth should rank first.
/// </summary>
public static class NearestReference
{
    /// <summary>Ranks <paramref name="candidates"/> (id → log-mel (d, n)) from nearest to farthest.</summary>
    public static ReferenceRanking Rank(Tensor generated, IEnumerable<KeyValuePair<string, Tensor>> candidates, int? coefficients = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var (d, _) = MelFrames.ShapeOf(generated, nameof(generated));
        int k = coefficients ?? d - 1;
        var g = MelCepstrum.FromLogMel(MelFrames.ToFrameMajor(generated, nameof(generated)), d, k);

        var ranked = new List<RankedReference>();
        foreach (var (id, mel) in candidates)
        {
            var (dc, _) = MelFrames.ShapeOf(mel, id);
            if (dc != d) throw new ArgumentException($"candidate {id} has {dc} mel bins, the generated mel {d}");
            var c = MelCepstrum.FromLogMel(MelFrames.ToFrameMajor(mel, id), dc, k);
            ranked.Add(new RankedReference(id, MelDtw.AlignFeatures(g, c, k).Distance));
        }
        if (ranked.Count == 0) throw new ArgumentException("no candidates to rank", nameof(candidates));
        if (ranked.Select(r => r.Id).Distinct().Count() != ranked.Count) throw new ArgumentException("candidate ids must be unique", nameof(candidates));
        // Stable: equal distances keep the candidates' order.
        return new ReferenceRanking(ranked.OrderBy(r => r.Distance).ToList());
    }
}

/// <summary>One candidate and its DTW distance to the generated mel.</summary>
public sealed record RankedReference(string Id, double Distance);

/// <summary>Candidates from nearest to farthest.</summary>
public sealed record ReferenceRanking(IReadOnlyList<RankedReference> Ranking)
{
    /// <summary>The nearest candidate's id.</summary>
    public string Top1 => Ranking[0].Id;

    /// <summary>1-based rank of <paramref name="id"/> (1 = nearest).</summary>
    public int RankOf(string id)
    {
        for (int i = 0; i < Ranking.Count; i++) if (Ranking[i].Id == id) return i + 1;
        throw new ArgumentException($"{id} is not among the ranked candidates", nameof(id));
    }

    /// <summary>
    /// How much nearer the nearest candidate is than the runner-up (distance ratio second / first, &gt;= 1); a
    /// ratio near 1 means the ranking barely separates them.
    /// </summary>
    public double Margin => Ranking.Count < 2 ? double.PositiveInfinity
        : Ranking[0].Distance == 0 ? (Ranking[1].Distance == 0 ? 1 : double.PositiveInfinity)
        : Ranking[1].Distance / Ranking[0].Distance;
}
