namespace F5Parity.Diagnosis.Quality;

/// <summary>One metric over several noise draws of the same spec (<see cref="Runs.Runner.Seeds"/>).</summary>
public static class SeedDraws
{
    /// <summary>Mean score over the draws; good when most draws are; the per-draw scores kept under <c>seed_k</c>.</summary>
    public static QualityMeasurement Mean(QualityMeasurement first, IReadOnlyList<QualityMeasurement?> draws)
    {
        var judged = draws.OfType<QualityMeasurement>().ToList();
        var values = new Dictionary<string, double>(first.Values);
        for (int k = 0; k < draws.Count; k++) if (draws[k] is { } d) values[$"score_seed_{k}"] = d.Score;
        values["seeds"] = judged.Count;
        values["seeds_good"] = judged.Count(d => d.Good);
        values["score_min"] = judged.Min(d => d.Score);
        values["score_max"] = judged.Max(d => d.Score);
        return first with
        {
            Score = judged.Average(d => d.Score),
            Good = 2 * judged.Count(d => d.Good) > judged.Count,
            Values = values,
            Note = $"mean of {judged.Count} seeds ({judged.Count(d => d.Good)} good)" + (first.Note is null ? "" : $"; {first.Note}"),
        };
    }
}
