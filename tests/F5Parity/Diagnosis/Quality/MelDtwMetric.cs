using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Metrics;

namespace F5Parity.Diagnosis.Quality;

/// <summary>
/// ASR-free quality: the generated mel is ranked by <see cref="MelDtw"/> distance (mean cepstral distance along the
/// DTW path) against every recording of a <see cref="GroundTruthSet"/>. Score = distance to the nearest WRONG text /
/// distance to the target text's recording: above 1 the generation is closer to what it should say than to anything
/// else it could be confused with. Good = score > <see cref="GoodThreshold"/> (default 1.0, i.e. the target ranks first).
/// Not available (null) when the set holds no recording of the target text.
/// </summary>
public sealed class MelDtwMetric(GroundTruthSet groundTruth, double goodThreshold = 1.0) : IQualityMetric
{
    public string Id => "mel-dtw";
    public double GoodThreshold { get; } = goodThreshold;
    public string Description =>
        $"DTW mel-cepstral distance to ground-truth speech of the target text; score = nearest wrong text / target (> {GoodThreshold:0.##} = good)";

    public QualityMeasurement? Measure(RunOutput output)
    {
        var target = groundTruth.FindId(output.Spec.TargetText);
        if (target is null || groundTruth.Items.Count < 2 || output.GenMel.shape[^1] < 2) return null;
        var ranking = NearestReference.Rank(output.GenMel, groundTruth.Items.Select(i => KeyValuePair.Create(i.Id, i.Mel)));
        double dTarget = ranking.Ranking.First(r => r.Id == target).Distance;
        var nearestOther = ranking.Ranking.First(r => r.Id != target);
        double score = dTarget > 0 ? nearestOther.Distance / dTarget : double.PositiveInfinity;
        return new QualityMeasurement(Id, score, score > GoodThreshold, new Dictionary<string, double>
        {
            ["dtw_target"] = dTarget,
            ["dtw_nearest_other"] = nearestOther.Distance,
            ["mcd_db_target"] = 10.0 / Math.Log(10.0) * Math.Sqrt(2.0) * dTarget,
            ["target_rank"] = ranking.RankOf(target),
            ["candidates"] = ranking.Ranking.Count,
        }, Note: $"target {target}, nearest {ranking.Top1}, nearest wrong text {nearestOther.Id}");
    }
}
