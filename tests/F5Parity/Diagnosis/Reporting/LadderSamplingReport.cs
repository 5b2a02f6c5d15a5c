using System.Text.Json.Nodes;
using F5Parity.Diagnosis.Hypotheses;

namespace F5Parity.Diagnosis.Reporting;

/// <summary>
/// How the ladder was sampled, in report.json (<c>ladder_sampling</c>) and report.md (a line under the ladder table
/// when it was bisected): the strategy, the rungs sampled in the order they were asked for, the new runs it cost.
/// </summary>
public static class LadderSamplingReport
{
    /// <summary>The report's ladder sampling; a report that does not say is a walk of the rungs it lists.</summary>
    public static LadderSampling Of(DiagnosisReport r) => r.LadderSampling ?? LadderSampling.Walk(r.Ladder, 0);

    public static JsonObject Json(DiagnosisReport r)
    {
        var s = Of(r);
        return new JsonObject
        {
            ["strategy"] = s.StrategyId,
            ["rungs"] = s.Rungs,
            ["sampled"] = new JsonArray(s.Sampled.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
            ["sampled_runs"] = r.LadderSampling is null ? null : s.SampledRuns,
            ["note"] = s.Note,
        };
    }

    /// <summary>Empty for a walk (the table lists every rung); for a bisection, which rungs were sampled and why only those.</summary>
    public static string Markdown(DiagnosisReport r)
    {
        var s = Of(r);
        if (s.Strategy != LadderStrategy.Bisect) return "";
        return $"**Bisected** (quick profile): rungs {string.Join(", ", s.Sampled)} sampled, in that order, of 0–{s.Rungs - 1} " +
            $"({s.SampledRuns} new runs; the two ends are the path runs above); rungs not listed were not sampled. {s.Note}.\n\n";
    }
}
